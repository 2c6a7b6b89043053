from medvigil.cli.launcher import main

main()
