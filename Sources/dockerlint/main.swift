print("dockerlint")
