#!/bin/sh
# Stand-in for Redis: a list store on 6379 speaking one line per connection, enough for the
# voting app ("PING" → "+PONG", "RPUSH votes a" → ":<length>", "LPOP votes" → "a" or "$-1").
# `nc -ll -e` runs this script once per connection, with the argument "one".
# Lists live in /data (a file per key); a mkdir lock keeps a push and a pop from interleaving.
DATA=${REDIS_DATA:-/data}

if [ "$1" != one ]; then
  mkdir -p "$DATA"
  rmdir "$DATA/.lock" 2>/dev/null
  echo "redis stand-in: listening on 6379"
  trap 'exit 0' TERM INT
  nc -ll -p 6379 -e /bin/sh "$0" one &
  wait
  exit 0
fi

lock() { until mkdir "$DATA/.lock" 2>/dev/null; do usleep 10000; done; }
unlock() { rmdir "$DATA/.lock"; }

read -r command key value
case "$key" in *[!a-z0-9_-]*) echo "-ERR bad key"; exit 0 ;; esac
list="$DATA/$key"
case "$command" in
  PING) echo "+PONG" ;;
  RPUSH)
    lock
    echo "$value" >> "$list"
    length=$(wc -l < "$list")
    unlock
    echo ":$length" ;;
  LPOP)
    lock
    first=$(head -n 1 "$list" 2>/dev/null)
    [ -n "$first" ] && sed -i 1d "$list"
    unlock
    if [ -n "$first" ]; then echo "$first"; else echo '$-1'; fi ;;
  *) echo "-ERR unknown command '$command'" ;;
esac
