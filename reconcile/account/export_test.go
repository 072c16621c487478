package account

// ResetSandboxWaiting is sandbox reset waiting up to wait, with notices.
var ResetSandboxWaiting = resetSandbox
