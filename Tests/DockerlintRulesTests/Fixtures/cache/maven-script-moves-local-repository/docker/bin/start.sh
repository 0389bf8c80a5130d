#!/bin/sh
exec java -jar /opt/app/webapp/app.jar
