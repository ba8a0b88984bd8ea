#!/bin/sh
echo one
ECSGEN_USER_DATA
echo two
