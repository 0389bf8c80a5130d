console.log("copy")
