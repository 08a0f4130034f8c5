#!/bin/sh
# Moves each vote from the redis list into the db (stand-in for the .NET worker); both are
# reached by their service names. A vote popped while the db is down is retried until stored.
REDIS_HOST=${REDIS_HOST:-redis}
DB_HOST=${DB_HOST:-db}
trap 'exit 0' TERM INT
echo "worker: moving votes from $REDIS_HOST:6379 to $DB_HOST:5432"
while true; do
  vote=$(echo "LPOP votes" | nc -w 3 "$REDIS_HOST" 6379)
  case "$vote" in
    a|b)
      until [ "$(echo "INSERT $vote" | nc -w 3 "$DB_HOST" 5432)" = "+OK" ]; do
        echo "worker: $DB_HOST does not take the vote yet; retrying" >&2
        sleep 1
      done
      echo "worker: stored a vote for $vote" ;;
    *) sleep 1 ;; # the list is empty ($-1), or redis did not answer
  esac
done
