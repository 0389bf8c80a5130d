package main

import _ "github.com/pkg/errors"

func main() {}
