complete --keep-order --exclusive --command accelctl --arguments "(COMPLETE=fish accelctl -- (commandline --current-process --tokenize --cut-at-cursor) (commandline --current-token))"
