from medvigil.launcher import main

main()
