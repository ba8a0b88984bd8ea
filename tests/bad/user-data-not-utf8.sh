#!/bin/sh
echo 'café'
