from medvigil.cli import main

main()
