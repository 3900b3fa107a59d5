package fakeupstream

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
)

// The hand-written chunk events are what json.Marshal makes of the chunk as a map.
func TestChunkEncoderMatchesJSON(t *testing.T) {
	for _, chat := range []bool{true, false} {
		for _, usageNull := range []bool{true, false} {
			t.Run(fmt.Sprintf("chat=%v usage=%v", chat, usageNull), func(t *testing.T) {
				content := "He said \"hi\"\n<é>"
				choice := map[string]any{"index": 0, "text": content, "finish_reason": nil}
				if chat {
					choice = map[string]any{"index": 0, "delta": map[string]any{"content": content}, "finish_reason": nil}
				}
				chunk := map[string]any{"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1700000000, "model": "gpt-4o", "choices": []any{choice}}
				if usageNull {
					chunk["usage"] = nil
				}
				data, err := json.Marshal(chunk)
				if err != nil {
					t.Fatal(err)
				}
				want := fmt.Appendf(nil, "data: %s\n\n", data)
				got := chunkEncoder{model: quote("gpt-4o"), chat: chat, usageNull: usageNull}.append(nil, content)
				if !bytes.Equal(got, want) {
					t.Errorf("got  %s\nwant %s", got, want)
				}
			})
		}
	}
}

func TestChunkEncoderStamps(t *testing.T) {
	got := chunkEncoder{model: quote("m"), chat: true, stamp: true, received: 42}.append(nil, "x")
	var v map[string]any
	if err := json.Unmarshal(bytes.TrimSuffix(bytes.TrimPrefix(got, []byte("data: ")), []byte("\n\n")), &v); err != nil {
		t.Fatalf("%s: %v", got, err)
	}
	if v[StampReceived] != float64(42) {
		t.Errorf("received stamp: got %v, want 42", v[StampReceived])
	}
	if sent, _ := v[StampSent].(float64); sent <= 0 {
		t.Errorf("sent stamp: got %v", v[StampSent])
	}
}
