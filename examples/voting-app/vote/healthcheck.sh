#!/bin/sh
# Healthy once the page answers 200 (the image has no curl; busybox wget is unusable here).
printf 'GET / HTTP/1.0\r\n\r\n' | nc -w 2 127.0.0.1 80 | head -n 1 | grep -q ' 200 '
