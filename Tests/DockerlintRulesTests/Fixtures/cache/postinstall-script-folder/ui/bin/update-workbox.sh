#!/bin/sh
cp node_modules/workbox/x public/
