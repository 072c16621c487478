// Package interrupt turns SIGINT and SIGTERM into the two-step stop people
// know from Terraform: the first signal cancels the context (waits,
// prompts and file opens stop at once; apply finishes the call in flight
// and stops), a second exits the process at once.
package interrupt
