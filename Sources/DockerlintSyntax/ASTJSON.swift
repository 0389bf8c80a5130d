import DockerlintSupport

extension JSONWriter {
    public mutating func position(_ p: SourcePosition) {
        beginObject(); field("line", p.line); field("column", p.column); field("offset", p.offset); endObject()
    }

    public mutating func range(_ r: SourceRange) {
        beginObject(); key("start"); position(r.start); key("end"); position(r.end); endObject()
    }

    public mutating func instruction(_ i: Instruction) {
        beginObject()
        field("keyword", i.keyword)
        field("instruction", i.kind == .unknown ? i.keyword.uppercased() : i.kind.keyword)
        key("range"); range(i.range)
        key("keywordRange"); range(i.keywordRange)
        key("flags"); beginArray()
        for f in i.flags {
            beginObject(); field("text", f.text); field("name", f.name); field("value", f.value); key("range"); range(f.range); endObject()
        }
        endArray()
        field("json", i.isJSON)
        key("arguments"); beginArray()
        for a in i.arguments { beginObject(); field("value", a.value); key("range"); range(a.range); endObject() }
        endArray()
        if i.kind == .env || i.kind == .label {
            key("keyValues"); beginArray()
            for kv in i.keyValues {
                beginObject()
                field("key", kv.key.value); field("value", kv.value.value); field("legacy", !kv.hasEquals)
                key("keyRange"); range(kv.key.range); key("valueRange"); range(kv.value.range)
                endObject()
            }
            endArray()
        }
        if !i.heredocs.isEmpty {
            key("heredocs"); beginArray()
            for h in i.heredocs {
                beginObject()
                field("name", h.name); field("fileDescriptor", h.fileDescriptor); field("expand", h.expand)
                field("chomp", h.chomp); field("content", h.content)
                key("bodyRange"); range(h.bodyRange); key("terminatorRange"); range(h.terminatorRange)
                endObject()
            }
            endArray()
        }
        if let c = i.child?.value { key("child"); instruction(c) }
        field("original", i.original)
        if !i.comments.isEmpty {
            key("comments"); beginArray(); for c in i.comments { string(c) }; endArray()
        }
        if !i.emptyContinuationLines.isEmpty {
            key("emptyContinuationLines"); beginArray(); for l in i.emptyContinuationLines { int(l) }; endArray()
        }
        endObject()
    }
}
