#!/bin/sh
# Stand-in for PostgreSQL: a vote table on 5432 speaking one line per connection
# ("PING" → "+PONG", "INSERT a" → "+OK", "TALLY" → "a=<count> b=<count>").
# `nc -ll -e` runs this script once per connection, with the argument "one".
# The table is a file on the db-data volume, so votes outlive the container.
DATA=${PGDATA:-/var/lib/postgresql/data}
TABLE="$DATA/votes"

if [ "$1" != one ]; then
  mkdir -p "$DATA"
  touch "$TABLE"
  echo "postgres stand-in: listening on 5432, $(wc -l < "$TABLE") votes stored"
  trap 'exit 0' TERM INT
  nc -ll -p 5432 -e /bin/sh "$0" one &
  wait
  exit 0
fi

read -r command value
case "$command" in
  PING) echo "+PONG" ;;
  INSERT)
    case "$value" in
      a|b) echo "$value" >> "$TABLE"; echo "+OK" ;;
      *) echo "-ERR a vote is a or b" ;;
    esac ;;
  TALLY) echo "a=$(grep -c '^a$' "$TABLE") b=$(grep -c '^b$' "$TABLE")" ;;
  *) echo "-ERR unknown command '$command'" ;;
esac
