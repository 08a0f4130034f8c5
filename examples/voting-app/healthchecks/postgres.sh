#!/bin/sh
# Healthy once the database answers PING.
[ "$(echo PING | nc -w 2 127.0.0.1 5432)" = "+PONG" ]
