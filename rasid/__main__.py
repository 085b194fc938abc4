from rasid.cli import main

main()
