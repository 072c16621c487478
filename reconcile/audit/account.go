package audit

// SetAccount names the account (its name in the project file) on every
// record written from now on; "" writes none.
func (a *Log) SetAccount(name string) {
	if a != nil {
		a.account = name
	}
}
