#!/bin/sh
# Draws pathsec.png, the 256x256 application icon, with ImageMagick: a tunnel mouth (the
# IPsec tunnel) with a path running through it (the path MTU PathSec measures). The PNG is
# committed; run this again only to change the drawing.
set -eu
cd "$(dirname "$0")"
convert -size 256x256 xc:none \
  -fill '#1d3c5a' -draw 'roundrectangle 8,8 247,247 40,40' \
  -fill none -stroke '#e8eef4' -strokewidth 22 -draw 'arc 48,64 208,224 180,360' \
  -draw 'line 48,144 48,214' -draw 'line 208,144 208,214' \
  -stroke '#4cc38a' -strokewidth 14 -draw 'line 24,190 232,190' \
  -stroke none -fill '#4cc38a' -draw 'polygon 214,172 244,190 214,208' \
  -strip pathsec.png
