//! `dnc`: the command-line face of dnc-engine.

use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use dnc_cli::scrub::{Cleanup, Destination, Event, Outcome, Phase, ScrubError, ScrubOptions};
use indicatif::{HumanDuration, ProgressBar, ProgressState, ProgressStyle};

mod registry_command;
mod sync_command;

/// Do-Not-Call decisions with the exact semantics of the LiveVox Compliance
/// API's isBlocked, from the command line: `dnc scrub` checks a whole call
/// list against DNC lists before a campaign; `dnc replay` answers JSON Lines
/// requests one by one.
#[derive(Debug, Parser)]
#[command(name = "dnc", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build, update and describe registry copies (the national and state
    /// Do-Not-Call registries) in their compact binary form.
    Registry {
        #[command(subcommand)]
        command: registry_command::RegistryCommand,
    },
    /// Keep many hosts in step through a change log on NATS JetStream:
    /// publish replay lines as changes, follow the log and answer checks,
    /// store snapshots.
    Sync {
        #[command(subcommand)]
        command: sync_command::SyncCommand,
    },
    /// Replay a JSON Lines script against a fresh engine: one answer line per
    /// non-blank request line.
    #[command(long_about = REPLAY_HELP)]
    Replay {
        /// The script to read; standard input when absent or "-".
        file: Option<PathBuf>,
    },
    /// Scrub a call list against DNC lists: every call row out again with
    /// `blocked`, `entries`, `accountFlags` and `error` added.
    #[command(long_about = SCRUB_HELP)]
    Scrub {
        /// Services, header `client,service`.
        #[arg(long, value_name = "SERVICES.csv")]
        services: PathBuf,
        /// DNC entries, header `id,client,service,phone,account,zip,type`.
        #[arg(long, value_name = "DNC.csv")]
        dnc: PathBuf,
        /// Account flags, header `client,account,doNotDial,doNotDialDaily`.
        #[arg(long, value_name = "FLAGS.csv")]
        flags: Option<PathBuf>,
        /// The call list, header with `service` and any of `client`, `phone`,
        /// `account`, `zip` (any case), plus any other columns.
        #[arg(long, value_name = "CALLS.csv")]
        calls: PathBuf,
        /// Where to write the scrubbed list ("-" or absent: standard
        /// output); replaced only once the scrub completed, never an input.
        #[arg(long, value_name = "OUT.csv")]
        out: Option<PathBuf>,
        /// Use the dial check (a stored `*` is a wildcard) instead of
        /// isBlocked (literal).
        #[arg(long)]
        dial_check: bool,
        /// Skip bad rows of the lists (each is still reported) instead of
        /// refusing to scrub.
        #[arg(long)]
        skip_bad_rows: bool,
        /// Also read the call list's phones as NANP numbers: punctuation and a
        /// leading +1 or 1 stripped (`+1 (415) 225-7000` is 4152257000).
        #[arg(long)]
        normalize_nanp: bool,
        /// The full dial decision at this instant (RFC 3339 with an
        /// offset) instead of the checks: DNC lists, flags, dialing hours,
        /// the ZIP/area-code match, registries and exemptions, the calling
        /// laws and the contact caps; adds the `reasons` and `registries`
        /// columns.
        #[arg(long, value_name = "INSTANT")]
        at: Option<String>,
        /// A registry copy built by `dnc registry build` (repeatable; one
        /// per source); every client of the services is subscribed to all
        /// its area codes. Needs --at.
        #[arg(long, value_name = "FILE")]
        registry: Vec<PathBuf>,
        /// Exemptions, header `client,phone,account,kind,since,until`.
        /// Needs --at.
        #[arg(long, value_name = "EXEMPTIONS.csv")]
        exemptions: Option<PathBuf>,
        /// Replay lines applied before the scrub, for what the CSV lists
        /// cannot say (channel lists, contact groups, zones, DNC types,
        /// dialing profiles, subscriptions). Needs --at.
        #[arg(long, value_name = "SCRIPT.jsonl")]
        setup: Option<PathBuf>,
        /// Contact attempts the caps count, header
        /// `service,phone,at,outcome` (and optionally
        /// `channel,person,debts,consent`). Needs --at.
        #[arg(long, value_name = "ATTEMPTS.csv")]
        attempts: Option<PathBuf>,
        /// A report a compliance officer reads at a glance: one
        /// self-contained HTML file (totals, refused rows by reason, state
        /// and local hour, the inputs' digests, the registry copies used
        /// and their age). Written beside the output, only on success.
        #[arg(long, value_name = "REPORT.html")]
        report: Option<PathBuf>,
        /// The report's figures as JSON, for the host's archive (the HTML
        /// is rendered from them).
        #[arg(long, value_name = "REPORT.json")]
        report_json: Option<PathBuf>,
    },
}

const SCRUB_HELP: &str = r#"Scrub a call list against DNC lists, as a compliance team does before a campaign.

The lists are CSV files with a header row; empty cells are absent:
  --services  client,service
  --dnc       id,client,service,phone,account,zip,type
              (empty id = assigned; empty type = PERMANENT, or DAILY)
  --flags     client,account,doNotDial,doNotDialDaily  (true/false)

A bad row in any list is reported on standard error with its file and the
line it starts on (a row with more or fewer cells than the header is a bad
row). By default nothing is then scrubbed and the exit status is 1: a
skipped DNC row could let a blocked number through. --skip-bad-rows goes on
without them and still reports every one. A list with no rows is warned
about.

The call list (--calls) has a header with "service" and any of "client",
"phone", "account", "zip", plus any other columns. Column names are matched
in any case ("Phone" is phone); a header that names one of them twice, or
already has one of the four columns below, is refused. The output is every
input column, unchanged and in order, followed by:
  blocked       true or false; empty when the row is invalid
  entries       the applicable entry ids, ascending, joined with ";"
  accountFlags  DO_NOT_DIAL and/or DO_NOT_DIAL_DAILY, joined with ";"
  error         the error code when the row is invalid (invalid_phone,
                unknown_service, bad_request, ...): an invalid row is never
                reported as not blocked
A call row with more or fewer cells than the header is bad_request, cut or
padded to the header's width so that the four columns stay in place.

Phones are compared literally: 14152257000 and +1 (415) 225-7000 are not
4152257000. --normalize-nanp also reads the call list's phones with
punctuation and a leading +1 or 1 stripped: a row is blocked when its phone
as normalized or as written is (normalizing never loses a match), and the
summary counts the rows answered (not invalid) whose phone it changed.
The lists are read as written.

--at INSTANT (RFC 3339 with an offset) answers each row with the full dial
decision at that instant instead: the DNC lists (dial check rules, and the
dialtime list of a DIAL_TIME client), the account flags, the dialing hours
of the service's profile in the callee's local time, the ZIP/area-code
match, the registries with their exemptions, the calling laws (federal,
Canadian and state hours, Sunday and holiday bans, at every place the
callee may be) and the contact caps (Regulation F for a client the setup
marks as a debt collector, the FL, OK, MD, OR and MA caps, the clients'
attempt rules) over the attempts of --attempts. A row then needs a phone
(bad_request without one), and a "client" cell must be the service's owner.
The columns added are:
  blocked       true when the contact is refused now
  entries       the DNC and dialtime entry ids that refuse it
  accountFlags  the account's Do Not Dial flags
  reasons       the decision in words ("allowed", or "refused: ..." with
                every reason, then "next allowed INSTANT" when every
                refusal lapses or "does not lapse by itself", and each
                registry an exemption lifted, with when it lapses)
  registries    the registry copies used, for the record the safe harbor
                asks for: source, area code, status (listed, not_listed,
                stale_copy, copy_after_check, not_covered, not_subscribed),
                the instant the copy was obtained, and the exemption that
                lifted it
  error         as above
The summary counts the refused rows by each kind of reason, and the rows
an exemption let through.

With --at:
  --registry FILE     a copy built by dnc registry build (repeatable, one
                      per source). Every client that owns a service (of
                      --services or the setup) subscribes to all its area
                      codes, unless the setup subscribed it to that source
                      itself: a number of an area code no copy
                      covers is refused (not_covered), as is one whose copy
                      was obtained more than 31 days before --at
                      (stale_copy, 16 CFR 310.4(b)(3)(iv)) or after it
                      (copy_after_check). A client that takes part must
                      hold the national registry of each number's country:
                      a Canadian number with no CA_NATIONAL copy given is
                      refused (not_subscribed). Without --registry no
                      registry is checked, and the scrub warns.
  --exemptions CSV    client,phone,account,kind,since,until: kind
                      TRANSACTION (18 months from since), INQUIRY (3 months;
                      6 for the Canadian list), CONSENT or BUSINESS (until
                      "until", when given); one of phone and account. An
                      exemption lifts a registry only, never the client's
                      own DNC entries, flags or channel lists.
  --setup SCRIPT      replay lines (see dnc replay --help) applied, as the
                      host, after the lists, the copies and the exemptions:
                      channel lists, contact groups, zones, DNC types,
                      dialing profiles, subscriptions of its own (a
                      registry_subscribe, to fewer area codes, takes the
                      place of the default one; a client is never left
                      without a registry the scrub was given). A line
                      answered with an error is a bad row.
  --attempts CSV      service,phone,at,outcome and optionally channel
                      (VOICE, SMS), person, debts (separated by ;) and
                      consent: the contact attempts the caps count
                      (outcome NOT_CONNECTED, NO_ANSWER, MESSAGE,
                      CONVERSATION or INBOUND_CONVERSATION), recorded after
                      the setup. A call row has no person: its number
                      stands for the person.
Without --at they are refused, and the scrub is as described above.

Example (the bundled one, tests/fixtures/scrub/registry):
  dnc registry build --source US_NATIONAL --obtained 2026-11-25T05:00:00Z \
      --area-codes 201,313,415,503,617 --out us.dncreg us-national.txt
  dnc scrub --services services.csv --dnc dnc.csv --calls calls.csv \
      --at 2026-12-01T18:00:00Z --registry us.dncreg \
      --exemptions exemptions.csv --setup setup.jsonl --out out.csv

--out is written to a temporary file beside it (.OUT.csv.tmp-PID), synced,
and renamed over OUT.csv only when the scrub completed: a refused, failed
or interrupted scrub leaves every file as it was. --out may not be one of
the input files (however spelled: another path, a symbolic or hard link);
"-" is standard output. On Ctrl-C (SIGINT) or SIGTERM the temporary file
is removed, and the program says so and exits with 128 + the signal:
130 for Ctrl-C, 143 for SIGTERM. A reader that closes the pipe (| head)
ends the program quietly, with status 141.

A progress bar (loading the lists, then scrubbing) is drawn on standard
error when it is a terminal; a summary (rows, blocked, invalid, seconds) is
printed there at the end.

--report REPORT.html writes one self-contained HTML file a compliance
officer reads at a glance and keeps as the record: the inputs with their
sizes and SHA-256, the instant (--at), the engine's version, the registry
copies used and their age at the check; totals; refused rows by reason, by
state or province and by the callee's local hour (bar charts with their
tables); the first 1,000 invalid rows with their lines and codes; a sample
of refused rows with every reason. --report-json REPORT.json writes the same
figures as JSON (the HTML is rendered from them). Both are written as --out
is: beside the target, renamed into place only when the scrub succeeded,
never over an input, the output or each other; "-" is standard output,
written last, when the scrubbed list does not go there. An input's size and
SHA-256 are those of the bytes the scrub read, hashed as it read them (a
pipe or /dev/stdin is read once), and a registry copy or list the setup
reads is an input too.

Exit status: 0 scrubbed; 1 bad list rows (or exemption rows, or setup
lines) without --skip-bad-rows; 2 a file could not be read, parsed or
written, --out is refused, or the options do not go together; 128 + N
killed by signal N."#;

const REPLAY_HELP: &str = r#"Replay a JSON Lines script against a fresh, empty engine.

Every non-blank input line is one JSON object with an "op"; every one gets
exactly one JSON line on standard output, in order. A faulty line is answered
with {"error":{"code":CODE,"message":TEXT}} and the replay continues. The exit
status is 0 unless reading the input or writing the output fails.

Integer fields (id, client, service, offset, count, at) also accept a string
of digits (with a leading "-" where negative makes sense; never "+"); null
and "" mean absent. An RFC 3339 offset is Z or +HH:MM/-HH:MM, HH at most 23.

Ops, with one example line each:

  add_service    {"op":"add_service","client":93119,"service":123}
                 -> {"ok":true}
  add            {"op":"add","service":123,"phone":"4152257000","type":"DAILY"}
                 fields: id?, client?, service?, phone?, account?, zip?,
                 type? (PERMANENT, the default, or DAILY); a service's entry
                 belongs to the service's client, a client-level entry needs
                 "client"; without "id" the engine assigns one greater than
                 every id it has stored.
                 -> {"ok":true,"id":1}
  remove         {"op":"remove","id":1}
                 -> {"ok":true}
  account_flags  {"op":"account_flags","client":93119,"account":"A6789","doNotDial":true}
                 fields: client, account, doNotDial?, doNotDialDaily?
                 (omitted = unchanged)
                 -> {"ok":true}
  clear_daily    {"op":"clear_daily","client":93119}
                 the nightly clear; without "client", for all clients
                 -> {"ok":true,"removed":1}
  is_blocked     {"op":"is_blocked","service":123,"phone":"4152257000","account":"A6789"}
                 fields: service, client?, phone?, account?, zip? (one at least);
                 literal comparison: "*" is an ordinary character
                 -> {"result":true,"entries":[1],"accountFlags":["DO_NOT_DIAL"]}
  dial_check     {"op":"dial_check","service":123,"phone":"2093334545"}
                 as is_blocked, but a stored phone or account with "*" is a
                 pattern; the dialed phone must be digits only
                 For a DIAL_TIME client (see set_client), the dialtime list
                 answers the phone: its entries come in "dialtimeEntries"
                 (their own ids), expiring ones still blocking.

Channel lists: "list" is dialtime, sms or email, and the value field is
named after it: "phone" (dialtime), "sms", "email". "at" is the instant of
a change or a check, in epoch milliseconds (optional on changes: it becomes
the list's lastModified); a change's "at" must lie between -377705023201000
and 253402207200999 (jiff's instants, invalid_date otherwise), a check's past
the end reads as the end. Ids are per list; an id of another client's entry
is not_found.

  set_client     {"op":"set_client","client":1,"timeZone":"America/New_York","phoneDncType":"DIAL_TIME"}
                 timeZone: the zone in which expiration dates are read
                 (default UTC); phoneDncType: LEGACY (default) or DIAL_TIME,
                 which list answers the client's phone checks and which one
                 may be managed (the other is refused: wrong_dnc_type).
                 Switching to DIAL_TIME copies the client's PERMANENT
                 phone-only legacy entries into the dialtime list and says
                 how many ("alreadyListed": phones the list already blocks
                 for every service and for ever); every phone entry it did
                 not carry over is in "notCarried" with its reason
                 (WILDCARD, DAILY, IDS_EXHAUSTED): it does not block while
                 the client is DIAL_TIME. Switching back loses nothing.
                 -> {"ok":true,"migrated":0,"alreadyListed":0,"notCarried":[]}
  is_legacy_dnc_enabled
                 {"op":"is_legacy_dnc_enabled","client":1}
                 -> {"result":false}
  add_contact_group
                 {"op":"add_contact_group","client":1,"contactGroupId":1320}
                 -> {"ok":true}
  set_service_contact_group
                 {"op":"set_service_contact_group","service":10,"contactGroupId":1320}
                 null or no contactGroupId: the service is in no group
                 -> {"ok":true}
  create         {"op":"create","list":"dialtime","client":1,"phone":"4085553745","contactGroupId":1320,"expirationDate":"2019-03-06"}
                 expirationDate: yyyy-MM-dd, epoch milliseconds (number or
                 string) or an ISO-8601 date-time; the entry blocks through
                 the end of that date in the client's zone
                 -> {"ok":true,"id":1}
  create_many    {"op":"create_many","list":"sms","client":1,"dncEntries":[{"sms":"6503517497"},{"sms":"12-3"}]}
                 valid records are applied; each other one is reported by
                 its 1-based position
                 -> {"processedCount":1,"ids":[1],"errors":[{"record":2,"code":"invalid_phone","message":"..."}]}
  read           {"op":"read","list":"dialtime","client":1,"id":1}
                 -> {"id":1,"phone":"4085553745","contactGroupId":1320,"expirationDate":1551848400000}
  update         {"op":"update","list":"dialtime","client":1,"id":1,"phone":"4085553745","contactGroupId":1522}
                 replaces value, group and expiration (an omitted one is cleared)
                 -> {"ok":true}
  delete         {"op":"delete","list":"dialtime","client":1,"id":1}
                 -> {"ok":true}
  list           {"op":"list","list":"sms","client":1,"offset":0,"count":10}
                 count 1..=1000; ascending ids; "next" (the next page's
                 offset) is present when more entries follow
                 -> {"dncEntries":[{"id":1,"sms":"6503517497"}]}
  find           {"op":"find","list":"sms","client":1,"offset":0,"count":6,"filter":{"sms":"6","contactGroupId":1020229}}
                 the value contains the filter's (ASCII case ignored for
                 emails) and the group is the filter's; paged as list
                 -> {"dncEntries":[...]}
  info           {"op":"info","list":"sms","client":1}
                 "lastModified" is present once a change carried "at"
                 -> {"size":1}
  check          {"op":"check","channel":"sms","service":10,"sms":"6503517497","at":1635393599999}
                 channel: phone (the dialtime list, which also applies the
                 account flags of an "account"), sms or email; without "at"
                 every expiring entry still blocks
                 -> {"result":true,"entries":[1],"accountFlags":[]}

Any line may carry "as", the caller, checked against the access policy
before the op runs:
  {"op":"delete","list":"sms","client":1,"id":1,"as":{"role":"AGENT","client":1}}
  -> {"error":{"code":"forbidden","message":"..."}}
roles SYSADMIN, SUPERUSER, MANAGER, IT_USER, AGENT; powers ["EDIT_DNC_LISTS"]
(a MANAGER needs it to manage lists). Nobody touches another client's data:
the owner of what a line touches decides (a service's client, an entry's
client), never the line's own "client"; every record of a bulk is checked;
another client's service answers unknown_service and its ids not_found,
exactly as ones that do not exist.

The legacy list ("list":"dnc"), for LEGACY clients (wrong_dnc_type otherwise):
create and create_many take add's fields; read, delete, list, find and info
as above, entries written as add takes them; no update (delete and create).
  {"op":"find","list":"dnc","client":93119,"count":10,"filter":{"type":"DAILY","services":[123],"modifiedAfter":1700000000000}}
  -> {"dncEntries":[{"id":1,"client":93119,"service":123,"phone":"4152257000","type":"DAILY"}]}
find keeps entries of that type, scoped to one of those services (client-level
entries have none), added at an instant after modifiedAfter (add and create
take "at"; entries added without one are left out). add and remove also take
"at" for the list's lastModified.

Dialing profiles, hours and the dial decision. "client" is the client a
profile op acts for: it sees its own profiles and the system-wide ones, and
creates its own; without "client" the op acts as the system (a system-wide
profile at create). Times: "HH:MM", "HH:MM:SS" or "HH:MM:SS.mmm" (as read
answers print them) in the callee's local time ("24:00" ends the day),
milliseconds after midnight, or the reference's epoch instant read in the
region's zone. Booleans and area codes may be strings, as in the reference.
"at": epoch milliseconds or an RFC 3339 date-time.

  profile_create {"op":"profile_create","client":4199,"name":"Docs","clientDefault":false,"policy":[{"dayOfWeek":"WEEKDAY","doNotLeaveMessage":"true","state":"KS"},{"dayOfWeek":"ALL","doNotDial":"true","areaCode":"410"},{"dayOfWeek":"MONDAY","state":"CA","areaCode":"415","startTime":"09:00","endTime":"20:00"}]}
                 policy fields: dayOfWeek (MONDAY..SUNDAY, WEEKDAY, WEEKEND,
                 ALL), country (USA, CANADA), state, areaCode (one at least;
                 the area code must serve the state: area_code_state_mismatch),
                 doNotDial, doNotLeaveMessage, startTime, endTime
                 -> {"ok":true,"id":1}
  profile_read   {"op":"profile_read","client":4199,"id":1}
                 -> {"id":1,"clientId":4199,"name":"Docs","description":null,"clientDefault":false,"service":[],"policy":[...]}
  profile_update {"op":"profile_update","client":4199,"id":1,"name":"Docs","description":"testing"}
                 -> {"ok":true}
  policy_add     {"op":"policy_add","client":4199,"id":1,"dayOfWeek":"THURSDAY","doNotLeaveMessage":"true","areaCode":"408"}
                 -> {"ok":true,"id":4}
  policy_update  {"op":"policy_update","client":4199,"id":1,"policy":4,"areaCode":"415","clearTimeRange":true}
                 fields as policy_add, all optional, plus clearAreaCode and
                 clearTimeRange; the result must be a valid policy
                 -> {"ok":true}
  policy_remove  {"op":"policy_remove","client":4199,"id":1,"policy":4}
                 -> {"ok":true}
  profile_add_service
                 {"op":"profile_add_service","client":4199,"id":1,"service":40789}
                 the service dials under this profile (and leaves any other)
                 -> {"ok":true}
  profile_set_default
                 {"op":"profile_set_default","client":4199,"id":1,"clientDefault":true}
                 the client's services without a profile dial under it
                 -> {"ok":true}
  profile_list   {"op":"profile_list","client":4199,"offset":0,"count":10}
                 -> {"dialingProfile":[{"id":1,"name":"Docs","description":"testing"}]}
  profile_info   {"op":"profile_info","client":4199}
                 -> {"size":1}
  dialing_hours  {"op":"dialing_hours","service":40789,"phone":"4155550100","at":"2026-11-30T16:30:00Z"}
                 the profile's hours alone, at every place the callee may be
                 (every zone of a multi-zone area code must allow)
                 -> {"mayDial":false,"mayLeaveMessage":false,"nextAllowed":1796058000000,"places":[...],"profile":1}
  zip_area_match {"op":"zip_area_match","areaCode":"415","zipCode":"94111","type":"DIAL_TIME"}
                 type: DIAL_TIME (the area code serves the ZIP, or lies in its
                 state when the data lists none) or DIAL_TIME_OPTIMIZED (also
                 the same clock)
                 -> {"result":true,"reason":"match: the area code serves the ZIP"}
  dial           {"op":"dial","service":40789,"phone":"4155550100","zip":"10010","at":"2026-12-01T03:00:00Z"}
                 fields: service, phone (10 digits), account?, zip?, channel?
                 (VOICE, the default, or SMS), zipMatchType?, person?,
                 debts? (an array), consent?, at. Applies the DNC lists,
                 account flags, the hours, the hours of a ZIP that does not
                 match the area code, the calling laws of every place the
                 callee may be ("law": each law that refuses, with its
                 citation) and the contact caps ("caps"); "nextAllowed" is
                 when every refusal has lapsed (null: a refusal that never
                 lapses by itself, such as a DNC entry, or none within 8
                 days of the last lapse)
                 -> {"allowed":false,"reasons":[...],"nextAllowed":1796140800000,...}
  profile_remove_service
                 {"op":"profile_remove_service","client":4199,"id":1,"service":40789}
                 -> {"ok":true}
  profile_delete {"op":"profile_delete","client":4199,"id":1}
                 -> {"ok":true}

Registries (the national and state Do-Not-Call registries). A registry copy
is shared by every client, and only the host loads it (a line with "as" is
forbidden); each client subscribes to the registries that apply to it and
keeps its own exemptions. source: US_NATIONAL, CA_NATIONAL, STATE_XX (CO,
FL, IN, LA, MA, MO, OK, PA, TN, TX, WY). Instants (obtained, since, until,
at): epoch milliseconds or RFC 3339.

  registry_load  {"op":"registry_load","source":"US_NATIONAL","obtained":"2026-11-20T00:00:00Z","numbers":["2125550100"],"areaCodes":["212","646"]}
                 a full list, inline ("numbers") or from a "file" (plain,
                 .gz or .zip: AAA,NNNNNNN or AAANNNNNNN a line); it replaces
                 the numbers of the area codes it covers ("areaCodes", "ALL",
                 or without it the numbers' own) and covers them from then on
                 -> {"ok":true,"numbers":1}; from a file, the answer also
                 says what the file was: "read":[{"path":...,"bytes":...,
                 "sha256":...}] (its bytes as stored, before unpacking)
  registry_changes
                 {"op":"registry_changes","source":"US_NATIONAL","obtained":"2026-11-21T00:00:00Z","changes":[{"number":"2125550199","mark":"A"}]}
                 a change list, inline or from a "file" (number first, A or D
                 last); it brings every covered area code up to "obtained"
                 -> {"ok":true,"added":1,"deleted":0,"unchanged":0}, and
                 from a file its "read", as registry_load's
  registry_open  {"op":"registry_open","file":"ca.dncreg"}
                 a copy built by dnc registry build, in place of the engine's
                 copy of its source
                 -> {"ok":true,"source":"CA_NATIONAL","numbers":...,"read":[...]}
  registry_info  {"op":"registry_info","source":"US_NATIONAL"}
                 -> {"source":"US_NATIONAL","numbers":2,"residentBytes":...,"areaCodes":[{"areaCode":212,"obtained":"2026-11-21T00:00:00Z","numbers":2},...],"loaded":true}
  registry_subscribe
                 {"op":"registry_subscribe","client":1,"source":"US_NATIONAL","areaCodes":["212"]}
                 without areaCodes, all of them; replaces the client's
                 subscription to that source
                 -> {"ok":true}
  exemption_add  {"op":"exemption_add","client":1,"phone":"2125550100","kind":"TRANSACTION","since":"2026-06-01T00:00:00Z"}
                 phone or account; kind TRANSACTION (18 months), INQUIRY (3
                 months; 6 on the Canadian list), CONSENT or BUSINESS (until
                 "until"); one record per kind: the later since wins (at
                 the same since, the one that ends first); "kept" says
                 whether this one is now the record. Louisiana's list takes
                 CONSENT and BUSINESS only.
                 -> {"ok":true,"kept":true}
  registry_check {"op":"registry_check","service":10,"phone":"2125550100","at":"2026-12-01T17:00:00Z"}
                 fields: service, phone, at, account?, zip? (a ZIP in a state
                 with a list brings that list in). One check per subscribed
                 registry that applies to the number: status listed,
                 not_listed, stale_copy (the copy is more than 31 days older
                 than at), copy_after_check (obtained after at), not_covered
                 (no copy covers the area code) or not_subscribed; every status but not_listed refuses unless
                 an exemption in force lifts it (it is named, with when it
                 lapses). The client's own lists are never lifted. A
                 client subscribed to any registry gets not_subscribed for
                 the national registry of a number's country it does not
                 hold (US_NATIONAL, CA_NATIONAL).
                 -> {"refused":false,"checks":[{"source":"US_NATIONAL","areaCode":212,"status":"listed","obtained":"2026-11-21T00:00:00Z","refuses":false,"reason":"...","exemption":{"kind":"TRANSACTION","phone":"2125550100","account":null,"since":"2026-06-01T00:00:00Z","lapses":"2027-12-01T00:00:00Z"}}]}
  exemption_remove
                 {"op":"exemption_remove","client":1,"phone":"2125550100","kind":"TRANSACTION"}
                 -> {"ok":true,"removed":true}
  registry_unsubscribe
                 {"op":"registry_unsubscribe","client":1,"source":"US_NATIONAL"}
                 -> {"ok":true,"removed":true}
                 dial answers the same checks in "registries" (present when
                 a subscribed registry applies); a refusing one is a reason.

Attempts and contact caps. The host records each contact attempt; the dial
decision counts them: Regulation F for a client marked as a debt collector
(an eighth placed call within 7 days per debt and person refused, and any
call within 7 days after a conversation; 12 CFR 1006.14(b)(2)), the state
caps of the places the callee may be in (FL, OK, MD, OR: 3 contacts in 24
hours per person; MA: 2 in 7 days per debt), and the client's own rules.
Outcomes: NOT_CONNECTED, NO_ANSWER, MESSAGE, CONVERSATION,
INBOUND_CONVERSATION. Instants: epoch milliseconds or RFC 3339.

  debt_collector {"op":"debt_collector","client":1,"collector":true}
                 -> {"ok":true}
  attempt        {"op":"attempt","service":10,"phone":"4155550100","person":"P1","debts":["D1"],"at":"2026-11-16T18:00:00Z","outcome":"CONVERSATION"}
                 fields: service, phone, at, outcome, channel? (VOICE or
                 SMS), person? (without it, the number stands for the
                 person), debts? (a call about several counts against
                 each), consent? (when the person gave direct prior
                 consent: a call within 7 days after is excluded from
                 Regulation F)
                 -> {"ok":true}
  attempt_rule_add
                 {"op":"attempt_rule_add","client":1,"key":"PHONE","outcomes":["NO_ANSWER","MESSAGE"],"limit":2,"windowMinutes":1440,"lockMinutes":2880}
                 key PERSON, PHONE or PERSON_AND_PHONE; outcomes counted;
                 channels? (default both); limit; windowMinutes (rolling) or
                 calendarDays and zone; lockMinutes? (once an attempt
                 reaches the limit, refused that long after it)
                 -> {"ok":true,"id":1}
  attempt_rules  {"op":"attempt_rules","client":1}
                 -> {"debtCollector":true,"rules":[{"id":1,"key":"PHONE","outcomes":["NO_ANSWER","MESSAGE"],"channels":["VOICE","SMS"],"limit":2,"lockMinutes":2880,"windowMinutes":1440}]}
                 a dial the caps refuse names each cap, its count, window
                 and debt in "caps", and nextAllowed when they all lapse:
  dial           {"op":"dial","service":10,"phone":"4155550100","person":"P1","debts":["D1"],"at":"2026-11-18T18:00:00Z"}
                 -> {"allowed":false,"nextAllowed":1795456800000,"caps":[...],...}
  attempt_rule_remove
                 {"op":"attempt_rule_remove","client":1,"id":1}
                 -> {"ok":true}
  attempts_trim  {"op":"attempts_trim","now":"2026-11-24T00:00:00Z"}
                 drops every client's attempts that no cap can count for a
                 contact at "now" or later: those older than the longest
                 reach of the caps (7 days, or a rule's window and lock)
                 before "now" (the host's alone: a line with "as" is
                 forbidden)
                 -> {"ok":true,"removed":1}

Error codes: bad_request (not JSON, not an object, unknown op, a required
field missing, a field of the wrong JSON type, none of phone/account/zip,
an unknown list, check channel or time zone), invalid_phone, invalid_account,
invalid_zip, invalid_id, invalid_entry, invalid_email, invalid_date,
invalid_contact_group, invalid_page, forbidden, wrong_dnc_type,
invalid_area_code, invalid_registry, invalid_exemption, invalid_attempt,
invalid_profile (also an unknown dial channel or zip
match type: values of the dialing rules), area_code_state_mismatch,
unknown_service,
service_client_mismatch, duplicate_id, not_found.
When a line has several faults, bad_request wins."#;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Registry { command } => registry_command::run(command),
        Command::Replay { file } => replay(file),
        Command::Sync { command } => sync_command::run(command),
        Command::Scrub {
            services,
            dnc,
            flags,
            calls,
            out,
            dial_check,
            skip_bad_rows,
            normalize_nanp,
            at,
            registry,
            exemptions,
            setup,
            attempts,
            report,
            report_json,
        } => {
            let at = match at.as_deref().map(dnc_engine::parse_instant).transpose() {
                Ok(at) => at,
                Err(error) => {
                    say(None, &format!("--at: {error}; nothing was changed"));
                    return ExitCode::from(2);
                }
            };
            scrub(
                &ScrubOptions {
                    services,
                    dnc,
                    flags,
                    calls,
                    dial_check,
                    skip_bad_rows,
                    normalize_nanp,
                    at,
                    registries: registry,
                    exemptions,
                    setup,
                    attempts,
                    reports: dnc_cli::scrub::ReportFiles {
                        html: report,
                        json: report_json,
                    },
                },
                Destination::from_arg(out),
            )
        }
    }
}

/// Writes a line to standard error, through the progress bar when there is
/// one; a closed standard error is no reason to panic.
fn say(bar: Option<&ProgressBar>, text: &str) {
    match bar {
        Some(bar) => bar.suspend(|| {
            let _ = writeln!(io::stderr(), "dnc scrub: {text}");
        }),
        None => {
            let _ = writeln!(io::stderr(), "dnc scrub: {text}");
        }
    }
}

/// The progress bar's ETA: nothing for the first second of a phase or its
/// first 1%, then a straight-line estimate from the phase's own start (the
/// bar is reset for each phase), so the first figure is never absurd.
fn eta(state: &ProgressState, w: &mut dyn std::fmt::Write) {
    let (elapsed, done) = (state.elapsed().as_secs_f64(), f64::from(state.fraction()));
    if elapsed >= 1.0 && (0.01..1.0).contains(&done) {
        let left = Duration::from_secs_f64(elapsed * (1.0 - done) / done);
        let _ = write!(w, "{} left", HumanDuration(left));
    }
}

fn progress_bar() -> Option<ProgressBar> {
    io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {msg} {bytes}/{total_bytes} {wide_bar} {eta_left}",
            )
            .map(|style| style.with_key("eta_left", eta))
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message("checking the files");
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    })
}

/// On SIGINT or SIGTERM: remove the temporary output file, say what
/// became of the output, and exit with 128 + the signal. The cleanup's lock
/// is held until the exit, so no file is renamed into place after it.
#[cfg(unix)]
fn on_signals(
    cleanup: &Cleanup,
    destination: &Destination,
    reports: &[String],
    bar: Option<&ProgressBar>,
) {
    on_signals_of("dnc scrub", cleanup, destination, reports, bar)
}

/// [`on_signals`] for the program `program` (`dnc scrub`, `dnc registry`),
/// which names itself in the message, and the `reports` written with the
/// output (renamed with it, so they share its fate).
#[cfg(unix)]
fn on_signals_of(
    program: &'static str,
    cleanup: &Cleanup,
    destination: &Destination,
    reports: &[String],
    bar: Option<&ProgressBar>,
) {
    use signal_hook::consts::{SIGINT, SIGTERM};
    // Without a handler the signals keep their default action, which kills
    // the program before any rename: the output is unchanged either way.
    // Not SIGHUP: a handler would undo `nohup`, which sets it to be
    // ignored; its default action kills the program before any rename.
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    let (cleanup, destination, bar) = (cleanup.clone(), destination.clone(), bar.cloned());
    let reports = reports.to_vec();
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let abandoned = cleanup.abandon();
            if let Some(bar) = &bar {
                bar.finish_and_clear();
            }
            let _ = writeln!(
                io::stderr(),
                "{program}: {}",
                abandoned.outcome.message_with(&destination, &reports)
            );
            std::process::exit(128 + signal);
        }
    });
}

#[cfg(not(unix))]
fn on_signals(_: &Cleanup, _: &Destination, _: &[String], _: Option<&ProgressBar>) {}

#[cfg(not(unix))]
fn on_signals_of(
    _: &'static str,
    _: &Cleanup,
    _: &Destination,
    _: &[String],
    _: Option<&ProgressBar>,
) {
}

fn scrub(options: &ScrubOptions, destination: Destination) -> ExitCode {
    let cleanup = Cleanup::default();
    let bar = progress_bar();
    let reports: Vec<String> = [&options.reports.html, &options.reports.json]
        .into_iter()
        .flatten()
        .map(|path| Destination::from_arg(Some(path.clone())).name())
        .collect();
    on_signals(&cleanup, &destination, &reports, bar.as_ref());
    let mut phase = None;
    let events = |event: Event<'_>| match event {
        Event::BadRow(row) => say(bar.as_ref(), &format!("bad row: {row}")),
        Event::Warning(text) => say(bar.as_ref(), &format!("warning: {text}")),
        Event::Progress {
            phase: now,
            done,
            total,
        } => {
            if let Some(bar) = &bar {
                if phase != Some(now) {
                    // A new phase: its own length, elapsed time and ETA.
                    phase = Some(now);
                    bar.reset();
                    bar.set_message(match now {
                        Phase::Loading => "loading the lists",
                        Phase::Scrubbing => "scrubbing",
                    });
                }
                bar.set_length(total);
                bar.set_position(done);
            }
        }
    };
    let result = dnc_cli::scrub::run(options, &destination, &cleanup, events);
    // From here an interrupt either already owns the exit or is ignored.
    cleanup.finish();
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    match result {
        Ok(summary) => {
            let normalized = if options.normalize_nanp {
                format!(", {} phones normalized (NANP)", summary.normalized)
            } else {
                String::new()
            };
            for (reason, rows) in &summary.by_reason {
                say(None, &format!("{rows} rows: {reason}"));
            }
            say(
                None,
                &format!(
                    "{} rows, {} blocked, {} invalid, {} list rows skipped{normalized}; {:.2} s \
                     ({:.2} s loading the lists, then {:.0} rows/s)",
                    summary.rows,
                    summary.blocked,
                    summary.invalid,
                    summary.skipped_list_rows,
                    summary.seconds,
                    summary.load_seconds,
                    summary.rows_per_second()
                ),
            );
            ExitCode::SUCCESS
        }
        // The reader of the pipe went away (| head): nothing to say, and
        // not a success, as for any program killed by SIGPIPE.
        Err(error) if error.is_broken_pipe() => ExitCode::from(141),
        Err(error @ ScrubError::BadRows(_)) => {
            say(None, &error.to_string());
            ExitCode::from(1)
        }
        Err(ScrubError::Interrupted) => {
            say(
                None,
                &Outcome::Unchanged.message_with(&destination, &reports),
            );
            ExitCode::from(130)
        }
        Err(error) => {
            say(None, &error.to_string());
            ExitCode::from(2)
        }
    }
}

fn replay(file: Option<PathBuf>) -> ExitCode {
    let input: Box<dyn Read> = match &file {
        Some(path) if path.as_os_str() != "-" => match File::open(path) {
            Ok(file) => Box::new(file),
            Err(error) => {
                eprintln!("dnc replay: cannot open {}: {error}", path.display());
                return ExitCode::from(2);
            }
        },
        _ => Box::new(io::stdin().lock()),
    };
    match dnc_cli::replay::run(input, io::stdout().lock()) {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("dnc replay: {error}");
            ExitCode::FAILURE
        }
    }
}
