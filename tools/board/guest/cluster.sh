#!/bin/sh
# Cluster board: runs the arm64 edgegov with configs/cluster.json for this node until the board is killed.
mkdir -p /run/edgegov
sed "s/@NODE@/$BOARD_NODE/g" /board/cluster.json >/run/edgegov/edgegov.json
cp /board/cluster.key /board/http.token /run/edgegov/
chmod 600 /run/edgegov/cluster.key /run/edgegov/http.token
# signatures: this board's own signing key (mode 0600)
cp "/board/signing$BOARD_NODE.key" /run/edgegov/signing.key
chmod 600 /run/edgegov/signing.key
/bin/edgegov run --config /run/edgegov/edgegov.json
echo "board: edgegov exited with $?"
