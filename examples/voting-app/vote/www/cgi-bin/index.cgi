#!/bin/sh
# The vote page. GET shows the two choices; a vote (a POSTed form, or ?vote=a|b) is pushed
# onto the "votes" list of the redis service, reached by its service name.
REDIS_HOST=${REDIS_HOST:-redis}

params=$QUERY_STRING
if [ "$REQUEST_METHOD" = POST ] && [ -n "$CONTENT_LENGTH" ]; then params=$(head -c "$CONTENT_LENGTH"); fi
vote=$(echo "$params" | tr '&' '\n' | sed -n 's/^vote=\([ab]\)$/\1/p' | head -n 1)

message=""
if [ -n "$vote" ]; then
  answer=$(echo "RPUSH votes $vote" | nc -w 3 "$REDIS_HOST" 6379)
  case "$answer" in
    :*) message="Thank you: your vote for $vote is counted." ;;
    *)
      # busybox httpd passes output starting with "HTTP/" through as is: a real 503.
      printf 'HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain\r\n\r\n'
      echo "could not reach redis at $REDIS_HOST:6379 (answer: $answer)"
      exit 0 ;;
  esac
fi

printf 'Content-Type: text/html\r\n\r\n'
cat <<PAGE
<!DOCTYPE html>
<html>
<head><title>Cats vs Dogs!</title></head>
<body>
<h1>Cats vs Dogs!</h1>
<form method="POST" action="/">
  <button name="vote" value="a">Cats</button>
  <button name="vote" value="b">Dogs</button>
</form>
<p>$message</p>
<p>(Tip: you can change your vote)</p>
<p>Processed by container ID $(hostname)</p>
</body>
</html>
PAGE
