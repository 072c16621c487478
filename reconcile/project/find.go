package project

import "os"

// Find is the project a command works on when it is not given a menus file:
// the project file config names (--config), else DefaultFile in the working
// directory if there is one. It returns nil and no error for the
// single-account mode: file (-f) is given, or there is no project file to
// find. A project file that is named but missing is an error.
func Find(file, config string) (*Project, error) {
	if config = orDefault(config); file != "" || config == "" {
		return nil, nil
	}
	return Load(config)
}

// orDefault is config (--config), else DefaultFile when the working
// directory has one, else "": the one rule by which every command finds
// its project, so that export finds the project plan applies.
func orDefault(config string) string {
	if config != "" {
		return config
	}
	if _, err := os.Stat(DefaultFile); err != nil {
		return ""
	}
	return DefaultFile
}

// ForExport is the project export works on: the one config (--config)
// names, else DefaultFile in the working directory (as Find), unless out
// (--out) asks for one account's menus file. With bootstrap
// (--bootstrap-platform) the project may list no accounts yet
// (LoadBootstrap). It returns nil and no error for one account: out is
// given, or there is no project file to find.
func ForExport(config, out string, bootstrap bool) (*Project, error) {
	if config = orDefault(config); bootstrap && config != "" && out == "" {
		return LoadBootstrap(config)
	}
	return Find(out, config)
}

// ForFormat is the project fmt formats when it is given no file: the one
// Find would work on, decoded only (its generators are not run, its
// templates not rendered), and it may list no accounts yet (a platform's
// project before its first authorizers): fmt needs its files, not a
// project ready to plan. It returns nil and no error when there is no
// project file.
func ForFormat(config string) (*Project, error) {
	if config = orDefault(config); config == "" {
		return nil, nil
	}
	data, err := read(config)
	if err != nil {
		return nil, err
	}
	return parse(config, data, true)
}
