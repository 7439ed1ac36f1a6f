from healthqa.cli import main

raise SystemExit(main())
