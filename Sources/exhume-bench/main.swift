print("exhume-bench: not yet")
