#!/bin/sh
echo base
