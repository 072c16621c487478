package wechat

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
)

// Tag is one of the account's user tags, as tags/get lists it.
type Tag struct {
	ID    string
	Name  string
	Count int // followers with the tag
}

// GetTags lists the account's user tags (tags/get, a read). Tag ids are
// numbers on the wire; they are returned as strings, as matchrules hold
// them.
func (c *Client) GetTags(ctx context.Context) ([]Tag, error) {
	var tags []Tag
	err := c.call(ctx, &request{
		endpoint: "tags/get", parse: func(b []byte) error {
			var doc struct {
				Tags *[]struct {
					ID    json.Number `json:"id"`
					Name  string      `json:"name"`
					Count int         `json:"count"`
				} `json:"tags"`
			}
			if err := json.Unmarshal(b, &doc); err != nil {
				return err
			}
			if doc.Tags == nil {
				return errors.New(`no "tags" list`)
			}
			tags = make([]Tag, 0, len(*doc.Tags))
			for _, t := range *doc.Tags {
				if _, err := strconv.ParseUint(t.ID.String(), 10, 64); err != nil {
					return errors.New("tag id " + strconv.Quote(t.ID.String()) + " is not a number")
				}
				tags = append(tags, Tag{ID: t.ID.String(), Name: t.Name, Count: t.Count})
			}
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	return tags, nil
}
