module x

replace example.com/lib => ./lib
