/** Violating CreateOriginGroup / ModifyOriginGroup requests and the wire code each must get. */
import { SEED } from "../../../emulator/core/defaults";
import { variant, type Params } from "./harness";

export const Z = SEED.teoZoneId;

export const VALID_CREATE: Params = {
  ZoneId: Z,
  Name: "web",
  Type: "HTTP",
  Records: [{ Record: "1.1.1.1", Type: "IP_DOMAIN" }],
};

const rec = (r: Params) => (p: Params) => { p.Records = [r]; };
const recs = (...r: Params[]) => (p: Params) => { p.Records = r; };
const s3Private = (params: Params[]) => rec({ Record: "bucket.s3.example.com", Type: "AWS_S3", Private: true, PrivateParameters: params });
const KEYS = [{ Name: "AccessKeyId", Value: "AK" }, { Name: "SecretAccessKey", Value: "SK" }];

export interface Vector { name: string; request: Params; code: string }
const v = (name: string, mutate: (p: Params) => void, code: string): Vector => ({ name, request: variant(VALID_CREATE, mutate), code });

/** Rules shared by Create and Modify (the record and group rules of reference §5-§6). */
export const RECORD_VECTORS: Vector[] = [
  v("no records", recs(), "InvalidParameter.OriginRecordFormatError"),
  v("101 records", (p) => { p.Records = Array.from({ length: 101 }, (_, i) => ({ Record: `o${i}.example.com` })); }, "LimitExceeded"),
  v("record with port", rec({ Record: "1.1.1.1:80" }), "InvalidParameter.OriginRecordFormatError"),
  v("domain with port", rec({ Record: "origin.example.com:8080" }), "InvalidParameter.OriginRecordFormatError"),
  v("bracketed IPv6 with port", rec({ Record: "[2001:db8::1]:80" }), "InvalidParameter.OriginRecordFormatError"),
  v("URL", rec({ Record: "http://origin.example.com" }), "InvalidParameter.OriginRecordFormatError"),
  v("underscore domain", rec({ Record: "bad_name.example.com" }), "InvalidParameter.OriginRecordFormatError"),
  v("single label", rec({ Record: "localhost" }), "InvalidParameter.OriginRecordFormatError"),
  v("bad dotted quad", rec({ Record: "1.2.3.999" }), "InvalidParameter.OriginRecordFormatError"),
  v("empty record", rec({ Record: "" }), "InvalidParameter.OriginRecordFormatError"),
  v("CIDR as record", rec({ Record: "8.8.8.0/24" }), "InvalidParameter.OriginRecordFormatError"),
  ...[
    "10.0.0.1", "172.16.5.4", "172.31.255.255", "192.168.1.1", "127.0.0.1", "169.254.0.9", "0.0.0.0", "100.64.0.1",
    "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:10.0.0.1",
  ].map((ip) => v(`forbidden origin ${ip}`, rec({ Record: ip }), "InvalidParameter.InvalidOriginIp")),
  v("unknown record type", rec({ Record: "1.1.1.1", Type: "HTTP" }), "InvalidParameter.OriginRecordFormatError"),
  v("weight 101", rec({ Record: "1.1.1.1", Weight: 101 }), "InvalidParameter.OriginRecordWeightValue"),
  v("weight -1", rec({ Record: "1.1.1.1", Weight: -1 }), "InvalidParameter.OriginRecordWeightValue"),
  v("weight 1.5", rec({ Record: "1.1.1.1", Weight: 1.5 }), "InvalidParameter.OriginRecordWeightValue"),
  v("weights on some records only", recs({ Record: "1.1.1.1", Weight: 50 }, { Record: "2.2.2.2" }), "InvalidParameter.OriginRecordWeightValue"),
  v("all weights 0", recs({ Record: "1.1.1.1", Weight: 0 }, { Record: "2.2.2.2", Weight: 0 }), "InvalidParameter.OriginRecordWeightValue"),
  v("duplicate IPs", recs({ Record: "1.1.1.1" }, { Record: "1.1.1.1" }), "InvalidParameter.OriginRecordFormatError"),
  v("duplicate IPv6 spelled differently", recs({ Record: "2001:db8::1" }, { Record: "2001:DB8:0:0::1" }), "InvalidParameter.OriginRecordFormatError"),
  v("duplicate domains differing in case", recs({ Record: "origin.example.com" }, { Record: "Origin.Example.com" }), "InvalidParameter.OriginRecordFormatError"),
  v("COS record in a GENERAL group", (p) => { p.Type = "GENERAL"; p.Records = [{ Record: "b-125.cos.ap-guangzhou.myqcloud.com", Type: "COS" }]; }, "InvalidParameter.OriginRecordFormatError"),
  v("AWS_S3 record in a GENERAL group", (p) => { p.Type = "GENERAL"; p.Records = [{ Record: "s3.example.com", Type: "AWS_S3" }]; }, "InvalidParameter.OriginRecordFormatError"),
  v("object storage addressed by IP", rec({ Record: "8.8.8.8", Type: "COS" }), "InvalidParameter.OriginRecordFormatError"),
  v("HostHeader with a space", (p) => { p.HostHeader = "www example.com"; }, "InvalidParameter.HostHeaderInvalid"),
  v("HostHeader with a port", (p) => { p.HostHeader = "www.example.com:8080"; }, "InvalidParameter.HostHeaderInvalid"),
  v("unknown private parameter name", s3Private([...KEYS, { Name: "Token", Value: "x" }]), "InvalidParameter.OriginThirdPartyParamFormatError"),
  v("SignatureVersion v3", s3Private([...KEYS, { Name: "SignatureVersion", Value: "v3" }]), "InvalidParameter.OriginThirdPartyParamFormatError"),
  v("private parameter given twice", s3Private([...KEYS, { Name: "AccessKeyId", Value: "AK2" }]), "InvalidParameter.OriginThirdPartyParamFormatError"),
  v("empty private parameter value", s3Private([{ Name: "AccessKeyId", Value: "" }, KEYS[1]!]), "InvalidParameter.OriginThirdPartyParamFormatError"),
  v("bad region", s3Private([...KEYS, { Name: "Region", Value: "US East 1" }]), "InvalidParameter.InvalidAwsRegion"),
  v("name with a space", (p) => { p.Name = "my group"; }, "InvalidParameter"),
  v("name of 201 characters", (p) => { p.Name = "a".repeat(201); }, "InvalidParameter"),
  v("empty name", (p) => { p.Name = ""; }, "InvalidParameter"),
  v("type outside the enum", (p) => { p.Type = "L4"; }, "InvalidParameter.InvalidOriginGroupType"),
];

/** Wire-level problems of CreateOriginGroup. */
export const CREATE_WIRE_VECTORS: Vector[] = [
  v("missing ZoneId", (p) => { delete p.ZoneId; }, "MissingParameter"),
  v("missing Records", (p) => { delete p.Records; }, "MissingParameter"),
  v("missing Name (required here)", (p) => { delete p.Name; }, "MissingParameter"),
  v("missing Type (required here)", (p) => { delete p.Type; }, "MissingParameter"),
  v("missing Records.0.Record", rec({ Type: "IP_DOMAIN" }), "MissingParameter"),
  v("missing PrivateParameters.0.Value", s3Private([{ Name: "AccessKeyId" }]), "MissingParameter"),
  v("unknown top-level parameter", (p) => { p.Foo = 1; }, "UnknownParameter"),
  v("unknown record parameter", rec({ Record: "1.1.1.1", Port: 80 }), "UnknownParameter"),
  v("unknown private parameter field", s3Private([{ Name: "AccessKeyId", Value: "a", Secret: true }]), "UnknownParameter"),
  v("Records not an array", (p) => { p.Records = "1.1.1.1"; }, "InvalidParameter"),
  v("record not an object", (p) => { p.Records = ["1.1.1.1"]; }, "InvalidParameter"),
  v("Weight as a string", rec({ Record: "1.1.1.1", Weight: "20" }), "InvalidParameter"),
  v("Private as a string", rec({ Record: "b.s3.example.com", Type: "AWS_S3", Private: "true" }), "InvalidParameter"),
  v("Name as a number", (p) => { p.Name = 5; }, "InvalidParameter"),
  v("unknown zone", (p) => { p.ZoneId = "zone-doesnotexist"; }, "InvalidParameter.ZoneNotFound"),
];

/** Requests that must be accepted (boundaries). */
export const ACCEPTED: Vector[] = [
  v("name of 200 characters", (p) => { p.Name = "a".repeat(200); }, "OK"),
  v("100 records", (p) => { p.Records = Array.from({ length: 100 }, (_, i) => ({ Record: `o${i}.example.com` })); }, "OK"),
  v("weights 0 and 100 (sum need not be 100)", recs({ Record: "1.1.1.1", Weight: 0 }, { Record: "2.2.2.2", Weight: 100 }, { Record: "3.3.3.3", Weight: 11 }), "OK"),
  v("public IPv6 and domain mixed", recs({ Record: "2400:cb00::1" }, { Record: "origin.example.com" }, { Record: "8.8.8.8" }), "OK"),
  v("172.32.0.1 is public", rec({ Record: "172.32.0.1" }), "OK"),
  v("Weight null means no weight", rec({ Record: "1.1.1.1", Weight: null }), "OK"),
  v("HostHeader on HTTP", (p) => { p.HostHeader = "www.example.com"; }, "OK"),
  v("empty HostHeader on GENERAL", (p) => { p.Type = "GENERAL"; p.HostHeader = ""; }, "OK"),
  v("COS private without parameters", rec({ Record: "b-1250000000.cos.ap-guangzhou.myqcloud.com", Type: "COS", Private: true }), "OK"),
  v("S3 private with all parameters", s3Private([...KEYS, { Name: "SignatureVersion", Value: "v2" }, { Name: "Region", Value: "us-east-1" }]), "OK"),
  v("RecordId on input is ignored", rec({ Record: "1.1.1.1", RecordId: "record-whatever" }), "OK"),
];

/**
 * Inputs the API documents as ignored, not refused (SDK-TS OriginRecord: Private "takes effect when
 * RecordType=COS/AWS_S3", PrivateParameters "valid when Private=true"; ModifyOriginGroup: HostHeader "only works
 * when Type=HTTP"): accepted and stored as sent. The first is the peers' documented example.
 */
export const IGNORED_BUT_STORED: Vector[] = [
  v("Private and a SecretAccessKey on an IP_DOMAIN record (the peers' example)", (p) => {
    p.Type = "GENERAL";
    p.Records = [{ Record: "tf-teo.xyz", Type: "IP_DOMAIN", Weight: 100, Private: true, PrivateParameters: [{ Name: "SecretAccessKey", Value: "test" }] }];
  }, "OK"),
  v("PrivateParameters without Private", rec({ Record: "b.s3.example.com", Type: "AWS_S3", PrivateParameters: KEYS }), "OK"),
  v("a private AWS_S3 record without keys", s3Private([{ Name: "SignatureVersion", Value: "v4" }]), "OK"),
  v("HostHeader on a GENERAL group", (p) => { p.Type = "GENERAL"; p.HostHeader = "www.example.com"; }, "OK"),
];
