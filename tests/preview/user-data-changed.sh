#!/bin/sh
echo changed
