#!/usr/bin/env bash
# The aws CLI against a running MictlanX. Usage: aws-cli-compat.sh ENDPOINT WORKDIR
# Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment.
set -euo pipefail
EP="$1"; W="$2"
export AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true AWS_PAGER=""
s3() { aws --endpoint-url "$EP" s3 "$@"; }
api() { aws --endpoint-url "$EP" s3api "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir -p "$W/src/sub" "$W/back"
head -c 3000000 /dev/urandom > "$W/src/big.bin"
echo "hello mictlanx" > "$W/src/hello.txt"
echo "nested" > "$W/src/sub/n.txt"

s3 mb s3://cli-bucket
s3 ls | grep -q cli-bucket || fail "mb/ls"
s3 cp "$W/src/hello.txt" s3://cli-bucket/hello.txt
s3 cp "$W/src/big.bin" s3://cli-bucket/big.bin
s3 cp s3://cli-bucket/big.bin "$W/back/big.bin"
cmp "$W/src/big.bin" "$W/back/big.bin" || fail "cp roundtrip differs"
s3 sync "$W/src" s3://cli-bucket/synced/
s3 ls s3://cli-bucket/synced/ --recursive | grep -q "synced/sub/n.txt" || fail "sync"
s3 sync s3://cli-bucket/synced/ "$W/back/synced"
diff -r "$W/src" "$W/back/synced" || fail "sync back differs"

api put-object --bucket cli-bucket --key "api key ✓" --body "$W/src/hello.txt" --metadata color=azul --content-type text/plain >/dev/null
api head-object --bucket cli-bucket --key "api key ✓" | grep -q '"color": "azul"' || fail "head-object metadata"
api get-object --bucket cli-bucket --key "api key ✓" --range bytes=0-4 "$W/back/range.txt" >/dev/null
[ "$(cat "$W/back/range.txt")" = "hello" ] || fail "ranged get-object"
api list-objects-v2 --bucket cli-bucket --prefix synced/ --delimiter / | grep -q '"Prefix": "synced/sub/"' || fail "list-objects-v2 delimiter"
api list-objects --bucket cli-bucket --max-items 1 >/dev/null
api get-bucket-location --bucket cli-bucket >/dev/null
api delete-objects --bucket cli-bucket --delete '{"Objects":[{"Key":"hello.txt"},{"Key":"api key ✓"}]}' >/dev/null
if api head-object --bucket cli-bucket --key hello.txt >/dev/null 2>&1; then fail "delete-objects"; fi
if s3 rb s3://cli-bucket 2>/dev/null; then fail "rb of a non-empty bucket"; fi

# Multipart: aws s3 cp goes multipart above 8 MB (50 MiB: 7 parts of 8 MiB, checksums on).
head -c $((50 * 1024 * 1024)) /dev/urandom > "$W/src/fifty.bin"
s3 cp "$W/src/fifty.bin" s3://cli-bucket/fifty.bin
api head-object --bucket cli-bucket --key fifty.bin | grep -q '"ETag": "\\"[0-9a-f]*-7\\""' || fail "multipart ETag"
s3 cp s3://cli-bucket/fifty.bin "$W/back/fifty.bin"
cmp "$W/src/fifty.bin" "$W/back/fifty.bin" || fail "multipart roundtrip differs"

# Object tagging: put with --tagging, put/get/delete-object-tagging, the count on get-object, InvalidTag.
api put-object --bucket cli-bucket --key tagged.txt --body "$W/src/hello.txt" --tagging "team=core&stage=a%20b" >/dev/null
[ "$(api get-object-tagging --bucket cli-bucket --key tagged.txt --query 'TagSet[?Key==`stage`].Value' --output text)" = "a b" ] || fail "put-object --tagging"
[ "$(api get-object --bucket cli-bucket --key tagged.txt "$W/back/tagged.txt" --query TagCount --output text)" = "2" ] || fail "tag count"
api put-object-tagging --bucket cli-bucket --key tagged.txt --tagging '{"TagSet":[{"Key":"color","Value":"azul"}]}'
[ "$(api get-object-tagging --bucket cli-bucket --key tagged.txt --query 'TagSet[0].[Key,Value]' --output text)" = "color	azul" ] || fail "put-object-tagging"
api delete-object-tagging --bucket cli-bucket --key tagged.txt
[ "$(api get-object-tagging --bucket cli-bucket --key tagged.txt --query 'length(TagSet)' --output text)" = "0" ] || fail "delete-object-tagging"
if api put-object-tagging --bucket cli-bucket --key tagged.txt --tagging '{"TagSet":[{"Key":"aws:x","Value":"1"}]}' 2>"$W/invalid-tag.err"; then fail "aws: tag accepted"; fi
grep -q InvalidTag "$W/invalid-tag.err" || fail "InvalidTag expected"
cmp "$W/src/hello.txt" "$W/back/tagged.txt" || fail "tagged body differs"
api delete-object --bucket cli-bucket --key tagged.txt

# Server-side copy across buckets.
s3 mb s3://cli-other
s3 cp s3://cli-bucket/fifty.bin s3://cli-other/fifty.bin
s3 cp s3://cli-other/fifty.bin "$W/back/fifty-copy.bin"
cmp "$W/src/fifty.bin" "$W/back/fifty-copy.bin" || fail "server-side copy differs"
s3 rm s3://cli-other/fifty.bin
s3 rb s3://cli-other

# The multipart calls one by one.
head -c $((5 * 1024 * 1024)) /dev/urandom > "$W/src/part1.bin"
head -c 1000 /dev/urandom > "$W/src/part2.bin"
UPLOAD=$(api create-multipart-upload --bucket cli-bucket --key mp.bin --query UploadId --output text)
E1=$(api upload-part --bucket cli-bucket --key mp.bin --upload-id "$UPLOAD" --part-number 1 --body "$W/src/part1.bin" --query ETag --output text)
E2=$(api upload-part --bucket cli-bucket --key mp.bin --upload-id "$UPLOAD" --part-number 2 --body "$W/src/part2.bin" --query ETag --output text)
[ "$(api list-parts --bucket cli-bucket --key mp.bin --upload-id "$UPLOAD" --query 'length(Parts)' --output text)" = "2" ] || fail "list-parts"
api list-multipart-uploads --bucket cli-bucket | grep -q "$UPLOAD" || fail "list-multipart-uploads"
cat > "$W/parts.json" <<JSON
{"Parts":[{"PartNumber":1,"ETag":$E1},{"PartNumber":2,"ETag":$E2}]}
JSON
api complete-multipart-upload --bucket cli-bucket --key mp.bin --upload-id "$UPLOAD" --multipart-upload "file://$W/parts.json" >/dev/null
api get-object --bucket cli-bucket --key mp.bin "$W/back/mp.bin" >/dev/null
cat "$W/src/part1.bin" "$W/src/part2.bin" | cmp - "$W/back/mp.bin" || fail "s3api multipart differs"
ABORTED=$(api create-multipart-upload --bucket cli-bucket --key gone.bin --query UploadId --output text)
api upload-part --bucket cli-bucket --key gone.bin --upload-id "$ABORTED" --part-number 1 --body "$W/src/part2.bin" >/dev/null
api abort-multipart-upload --bucket cli-bucket --key gone.bin --upload-id "$ABORTED"
if api list-parts --bucket cli-bucket --key gone.bin --upload-id "$ABORTED" >/dev/null 2>&1; then fail "abort"; fi

s3 rm s3://cli-bucket --recursive
s3 rb s3://cli-bucket
if s3 ls s3://cli-bucket 2>/dev/null; then fail "bucket still there"; fi
echo "aws CLI compat: all passed"
