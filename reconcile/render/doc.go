// Package render shows plans to people and machines: Text (a terminal,
// optionally coloured), Markdown (a pull-request comment) and JSON (the plan
// document itself). ButtonLines renders a button list as indented lines.
// An HTML renderer would be one more file here.
//
// render reads plans and never changes them; it imports plans, canon and
// wechat.
package render
