module example.com/app

go 1.23

require github.com/magefile/mage v1.15.0
