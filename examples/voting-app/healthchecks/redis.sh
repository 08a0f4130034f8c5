#!/bin/sh
# Healthy once the store answers PING.
[ "$(echo PING | nc -w 2 127.0.0.1 6379)" = "+PONG" ]
