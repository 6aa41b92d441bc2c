console.log("leaf", process.argv.slice(2).join(" "))
