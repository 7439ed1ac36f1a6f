"""Commands that fit or calibrate the models healthqa ships.

Run each as `python -m healthqa.training.<name>`.
"""
