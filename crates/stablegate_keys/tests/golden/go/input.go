// Package server is a golden file.
package server

import (
	"fmt"
	str "strings"
)

const greeting = "hello // not a comment"

type Server struct {
	Addr    string `json:"addr"`
	handler func(int) error
}

type Reader interface {
	Read(p []byte) (n int, err error)
	Close() error
}

type Alias = Server

type Stack[T any] struct {
	items []T
}

func New(addr string) *Server {
	return &Server{Addr: addr}
}

func (s *Server) Start() error {
	handle := func(code int) error {
		inner := func() string {
			return fmt.Sprintf(`raw
multi-line %d`, code)
		}
		_ = inner
		return nil
	}
	go func() {
		_ = handle(1)
	}()
	var later = func() {}
	later()
	switch r := 'x'; r {
	case 'x':
		fmt.Println(str.ToUpper("x"))
	}
	return nil
}

func (s Server) Name() string { return s.Addr }

func (st *Stack[T]) Push(v T) {
	st.items = append(st.items, v)
}

func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}
