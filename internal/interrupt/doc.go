// Package interrupt turns SIGINT, SIGTERM and SIGHUP (the terminal closed)
// into the two-step stop people know from Terraform: the first signal
// cancels the context (waits, prompts, file opens and the commands
// internal/runcmd runs stop at once; apply finishes the call in flight and
// stops), a second kills the commands still running and exits the process
// at once.
package interrupt
