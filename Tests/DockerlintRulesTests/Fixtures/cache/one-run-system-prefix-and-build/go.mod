module example.org/tool

go 1.22
