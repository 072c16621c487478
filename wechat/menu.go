package wechat

import (
	"context"
	"errors"
	"fmt"
)

// GetMenu reads the default and conditional menus (menu/get). An account
// with no menu (errcode 46003, and only that) gives an empty MenuSet; any
// other failure is an error, never an empty set.
func (c *Client) GetMenu(ctx context.Context) (*MenuSet, error) {
	var set MenuSet
	err := c.call(ctx, &request{
		endpoint: "menu/get", parse: func(b []byte) error { return parseMenuSet(b, &set) },
	})
	return menuSetResult(&set, err)
}

// menuSetResult is GetMenu's answer for a decoded set and the call's error:
// errcode 46003 from menu/get itself means "no menu"; every other error stays
// an error.
func menuSetResult(set *MenuSet, err error) (*MenuSet, error) {
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Code == CodeMenuNotExist && apiErr.Endpoint == "menu/get" {
		return &MenuSet{}, nil
	}
	if err != nil {
		return nil, err
	}
	return set, nil
}

// CreateMenu creates or replaces the default menu (menu/create). The body is
// {"button":[…]}; WeChat rejects the {"menu":…} shape menu/get returns.
func (c *Client) CreateMenu(ctx context.Context, buttons []Button) error {
	return c.mutate(ctx, "menu/create", struct {
		Button []Button `json:"button"`
	}{nonNil(buttons)}, nil)
}

// DeleteMenu deletes the default menu and every conditional menu
// (menu/delete).
func (c *Client) DeleteMenu(ctx context.Context) error {
	return c.call(ctx, &request{endpoint: "menu/delete", mutating: true})
}

// endpointAddConditional is the one mutation whose repeat is never safe.
const endpointAddConditional = "menu/addconditional"

// AddConditional creates a conditional menu (menu/addconditional), which
// becomes the highest-priority one, and returns its menuid.
func (c *Client) AddConditional(ctx context.Context, buttons []Button, rule MatchRule) (menuID string, err error) {
	err = c.mutate(ctx, endpointAddConditional, struct {
		Button    []Button  `json:"button"`
		MatchRule MatchRule `json:"matchrule"`
	}{nonNil(buttons), rule}, func(b []byte) error { return parseMenuID(b, &menuID) })
	return menuID, err // menuID is set only by a success
}

// DelConditional deletes one conditional menu (menu/delconditional). The
// menuid is sent as a JSON string, as documented.
func (c *Client) DelConditional(ctx context.Context, menuID string) error {
	if menuID == "" {
		return errors.New("wechat: menu/delconditional: empty menuid")
	}
	return c.mutate(ctx, "menu/delconditional", struct {
		MenuID string `json:"menuid"`
	}{menuID}, nil)
}

// TryMatch returns the menu WeChat would show a follower, given an OpenID or
// WeChat ID (menu/trymatch). Unknown users give errcode 65302.
func (c *Client) TryMatch(ctx context.Context, userID string) ([]Button, error) {
	if userID == "" {
		return nil, errors.New("wechat: menu/trymatch: empty user id")
	}
	var buttons []Button
	err := c.call(ctx, &request{
		endpoint: "menu/trymatch", payload: struct {
			UserID string `json:"user_id"`
		}{userID},
		parse: func(b []byte) error { return parseTryMatch(b, &buttons) },
	})
	return buttons, err // buttons is set only by a success
}

// GetCurrentSelfMenuInfo reads the menu users see however it was published,
// web console included (get_current_selfmenu_info).
func (c *Client) GetCurrentSelfMenuInfo(ctx context.Context) (*SelfMenuInfo, error) {
	var info SelfMenuInfo
	err := c.call(ctx, &request{
		endpoint: "get_current_selfmenu_info", parse: func(b []byte) error { return parseSelfMenuInfo(b, &info) },
	})
	if err != nil {
		return nil, err
	}
	return &info, nil
}

// mutate POSTs payload to a mutating endpoint.
func (c *Client) mutate(ctx context.Context, endpoint string, payload any, parse func([]byte) error) error {
	return c.call(ctx, &request{endpoint: endpoint, payload: payload, mutating: true, parse: parse})
}

// call runs a menu API request with the account's token.
func (c *Client) call(ctx context.Context, r *request) error {
	if r.mutating && c.readOnly {
		return fmt.Errorf("wechat: %s: %w", r.endpoint, ErrReadOnly)
	}
	return c.callWith(ctx, c.tokens, r)
}

// callWith runs r with a token from src in r's token parameter. When WeChat
// rejects the token as invalid or expired and src can renew (a
// TokenRejecter whose next token differs), the call runs once more with the
// fresh token; a rejected call was not applied, so this is safe for
// mutations.
func (c *Client) callWith(ctx context.Context, src TokenSource, r *request) error {
	tok, err := src.Token(ctx)
	if err != nil {
		return err
	}
	c.scrub.add(tok.AccessToken)
	r.token = tok.AccessToken
	err = c.do(ctx, r)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || !apiErr.isStaleToken() {
		return err
	}
	rejecter, ok := src.(TokenRejecter)
	if !ok {
		return err
	}
	rejecter.RejectToken(tok.AccessToken)
	fresh, rerr := src.Token(ctx)
	if rerr != nil {
		return rerr
	}
	if fresh.AccessToken == tok.AccessToken {
		// Normal-mode stable_token may hand back the very token WeChat
		// rejected, and a static token cannot change; force_refresh is not
		// used (20 calls a day), so the rejection is reported.
		return err
	}
	c.scrub.add(fresh.AccessToken)
	r.token = fresh.AccessToken
	return c.do(ctx, r)
}

// nonNil makes a nil button list encode as [] rather than null.
func nonNil(b []Button) []Button {
	if b == nil {
		return []Button{}
	}
	return b
}
