"""`python -m locatiescan`: the same command line as `locatiescan`."""

from locatiescan.cli.main import run

if __name__ == "__main__":
    run()
