#!/bin/sh
# The result page: the tally read from the db service, reached by its service name.
DB_HOST=${DB_HOST:-db}

tally=$(echo TALLY | nc -w 3 "$DB_HOST" 5432)
cats=$(echo "$tally" | sed -n 's/^a=\([0-9]*\) b=[0-9]*$/\1/p')
dogs=$(echo "$tally" | sed -n 's/^a=[0-9]* b=\([0-9]*\)$/\1/p')
if [ -z "$cats" ] || [ -z "$dogs" ]; then
  printf 'HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain\r\n\r\n'
  echo "could not read the tally from $DB_HOST:5432 (answer: $tally)"
  exit 0
fi

total=$((cats + dogs))
printf 'Content-Type: text/html\r\n\r\n'
cat <<PAGE
<!DOCTYPE html>
<html>
<head><title>Cats vs Dogs -- Result</title></head>
<body>
<h1>Cats vs Dogs</h1>
<p id="cats">Cats: $cats</p>
<p id="dogs">Dogs: $dogs</p>
<p id="total">$total votes</p>
</body>
</html>
PAGE
