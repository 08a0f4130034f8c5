#!/bin/sh
# The result page on 80, and on 9229 a stand-in for the Node inspector that the original
# starts for debugging (Compose publishes it on 127.0.0.1 only).
trap 'exit 0' TERM INT
httpd -p 9229 -h /inspector
echo "result: page on 80, inspector stand-in on 9229"
httpd -f -p 80 -h /www &
wait
