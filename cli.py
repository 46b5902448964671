"""convprop from a checkout: ``python cli.py render forward-pass`` runs ``convprop render forward-pass``.

The command's code is ``convprop.cli`` (installed with ``make venv`` or ``pip install -e .``);
this file only hands over to it, so a checkout and the installed command are one program.
"""

if __name__ == "__main__":
    from convprop.cli import main

    main()
