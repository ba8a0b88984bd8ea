#!/bin/sh
# a value from infra.yml reaches the shell unquoted
echo "cluster: {{ cluster.name }}"
