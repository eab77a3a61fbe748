"""Entry script of the frozen Windows build: the same entry point as ``watchkeeper-gui``."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # forecast training runs in a child process
    from gui.app import main_gui

    sys.exit(main_gui())
