#!/bin/sh
# Posts SEED_CATS votes for a and SEED_DOGS for b to the vote service, reached by its
# service name (stand-in for the original's ab run). Then it idles rather than exits:
# Clocker keeps services running, so an exited seed would be started again and vote again.
VOTE_HOST=${VOTE_HOST:-vote}
trap 'exit 0' TERM INT

post() {
  body="vote=$1"
  printf 'POST / HTTP/1.0\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %s\r\n\r\n%s' \
    "$VOTE_HOST" "${#body}" "$body" | nc -w 3 "$VOTE_HOST" 80 | head -n 1 | grep -q ' 200 '
}

post_many() { # choice count
  i=0
  while [ "$i" -lt "$2" ]; do
    if post "$1"; then i=$((i + 1)); else echo "seed: $VOTE_HOST did not take a vote; retrying" >&2; sleep 1; fi
  done
}

post_many a "${SEED_CATS:-6}"
post_many b "${SEED_DOGS:-3}"
echo "seed: posted ${SEED_CATS:-6} votes for a and ${SEED_DOGS:-3} for b"
while true; do sleep 3600 & wait $!; done
