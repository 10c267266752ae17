from alliancelab.cli import main

main()
