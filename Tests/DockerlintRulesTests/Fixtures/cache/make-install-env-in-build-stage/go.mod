module example.org/opengist

go 1.22
