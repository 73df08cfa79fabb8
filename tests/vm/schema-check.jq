# Checks the input against a JSON Schema given as $schema[0] (jq --slurpfile
# schema FILE) and prints one line per violation, nothing when it conforms.
# The subset docs/status.schema.json uses: type (a name or a list of names),
# enum, minimum, required, properties, items. A keyword outside that subset
# is itself reported, so the schema cannot grow past what is checked.
def known: ["$schema", "title", "description", "type", "enum", "minimum", "required",
            "properties", "items"];
def kind: if type == "number" and . == floor then "integer" else type end;
def type_ok($t): kind as $k | any(($t | if type == "array" then .[] else . end);
                                  . == $k or (. == "number" and $k == "integer"));
def check($s; $path):
  ($s | keys[] | select(. as $k | known | index([$k]) | not)
   | "\($path): schema keyword '\(.)' is not checked here"),
  (if $s.type != null and (type_ok($s.type) | not)
   then "\($path): \(kind), expected \($s.type | tostring)" else empty end),
  (if $s.enum != null and (. as $v | $s.enum | index([$v]) | not)
   then "\($path): \(tojson) is not one of \($s.enum | tojson)" else empty end),
  (if $s.minimum != null and type == "number" and . < $s.minimum
   then "\($path): \(.) is below \($s.minimum)" else empty end),
  (if type == "object" then
     (($s.required // [])[] as $k | select(has($k) | not) | "\($path): '\($k)' is missing"),
     (to_entries[] | select($s.properties[.key] != null)
      | .key as $k | .value | check($s.properties[$k]; "\($path).\($k)"))
   else empty end),
  (if type == "array" and $s.items != null then
     to_entries[] | .key as $i | .value | check($s.items; "\($path)[\($i)]")
   else empty end);
check($schema[0]; "$")
