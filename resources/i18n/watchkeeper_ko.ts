<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>AlarmBanner</name>
    <message>
        <source>Acknowledge</source>
        <translation>확인</translation>
    </message>
    <message>
        <source>Alarms…</source>
        <translation>경보 목록…</translation>
    </message>
    <message>
        <source>No alarms</source>
        <translation>경보 없음</translation>
    </message>
    <message>
        <source>{active} active, {unacked} to acknowledge</source>
        <translation>발생 {active}건, 미확인 {unacked}건</translation>
    </message>
</context>
<context>
    <name>AlarmController</name>
    <message>
        <source>The alarm journal could not be read just now; it is read again shortly.</source>
        <translation>지금은 경보 이력을 읽을 수 없습니다. 잠시 후 다시 읽습니다.</translation>
    </message>
    <message>
        <source>Watchkeeper alarm</source>
        <translation>Watchkeeper 경보</translation>
    </message>
    <message>
        <source>Saved {rows} alarm journal entries to {path}.</source>
        <translation>경보 이력 {rows}건을 {path}에 저장했습니다.</translation>
    </message>
</context>
<context>
    <name>AlarmMessage</name>
    <message>
        <source>{word} {value} (limit {limit})</source>
        <translation>{word} {value} (한계 {limit})</translation>
    </message>
    <message>
        <source>Port {port} lost: {message}</source>
        <translation>포트 {port} 통신 두절: {message}</translation>
    </message>
    <message>
        <source>Port {port} lost</source>
        <translation>포트 {port} 통신 두절</translation>
    </message>
    <message>
        <source>Port {port} connected</source>
        <translation>포트 {port} 연결됨</translation>
    </message>
    <message>
        <source>Unit {unit} ({name}) on {port} stopped answering ({detail})</source>
        <translation>{port}의 유닛 {unit}({name}) 응답 없음 ({detail})</translation>
    </message>
    <message>
        <source>Unit {unit} ({name}) on {port} stopped answering</source>
        <translation>{port}의 유닛 {unit}({name}) 응답 없음</translation>
    </message>
    <message>
        <source>Unit {unit} ({name}) answers again</source>
        <translation>유닛 {unit}({name}) 응답 재개</translation>
    </message>
    <message>
        <source>No reading for {wait}</source>
        <translation>{wait} 동안 측정값 없음</translation>
    </message>
    <message>
        <source>Readings again</source>
        <translation>측정값 수신 재개</translation>
    </message>
    <message>
        <source>{why} (anomaly score {score})</source>
        <translation>{why} (이상 점수 {score})</translation>
    </message>
    <message>
        <source>Unusual behaviour at {value}</source>
        <translation>{value}에서 평소와 다른 거동</translation>
    </message>
    <message>
        <source>{word} limit reached: its own alarm takes over</source>
        <translation>{word} 한계 도달: 해당 한계 경보로 넘어감</translation>
    </message>
    <message>
        <source>No limit crossing predicted</source>
        <translation>한계 초과 예측 없음</translation>
    </message>
    <message>
        <source>Predicted {word} {value} at {at} (in {wait}), possible from {from}</source>
        <translation>{at}에 {word} {value} 도달 예측 ({wait} 후), {from}부터 가능성 있음</translation>
    </message>
    <message>
        <source>Predicted {word} {value} at {at} (in {wait})</source>
        <translation>{at}에 {word} {value} 도달 예측 ({wait} 후)</translation>
    </message>
    <message>
        <source>Predicted {word} {value} possible from {from} (in {wait}, within the 95 % band)</source>
        <translation>{from}부터 {word} {value} 도달 가능성 있음 ({wait} 후, 95 % 구간 안)</translation>
    </message>
    <message>
        <source>Forecast close to {word} {value} (within {deadband}) from {from}</source>
        <translation>{from}부터 예측값이 {word} {value}에 근접 ({deadband} 이내)</translation>
    </message>
    <message>
        <source>Shelving expired</source>
        <translation>보류 시간 만료</translation>
    </message>
    <message>
        <source>Shelved until it returns to normal</source>
        <translation>정상 복귀 시까지 보류</translation>
    </message>
    <message>
        <source>Shelved for {wait} (until {until} UTC)</source>
        <translation>{wait} 동안 보류 ({until} UTC까지)</translation>
    </message>
    <message>
        <source>Unshelved</source>
        <translation>보류 해제</translation>
    </message>
    <message>
        <source>Returned to normal: one-shot shelving ends</source>
        <translation>정상 복귀: 1회 보류 종료</translation>
    </message>
    <message>
        <source>Suppressed: no data from this channel</source>
        <translation>억제됨: 이 채널의 데이터 없음</translation>
    </message>
    <message>
        <source>Data again: no longer suppressed</source>
        <translation>데이터 수신 재개: 억제 해제</translation>
    </message>
    <message>
        <source>Rule no longer configured</source>
        <translation>더 이상 설정되지 않은 경보 규칙</translation>
    </message>
    <message>
        <source>No limit left to predict</source>
        <translation>예측할 한계가 더 이상 없음</translation>
    </message>
    <message>
        <source>Out of service</source>
        <translation>사용 중지</translation>
    </message>
    <message>
        <source>Back in service</source>
        <translation>사용 재개</translation>
    </message>
    <message>
        <source>Jumped to {value} in {dur}; usual {usual} ± {sigma}</source>
        <translation>{dur} 만에 {value}(으)로 급등, 평소 {usual} ± {sigma}</translation>
    </message>
    <message>
        <source>Jumped to {value}; usual {usual} ± {sigma}</source>
        <translation>{value}(으)로 급등, 평소 {usual} ± {sigma}</translation>
    </message>
    <message>
        <source>Dropped to {value} in {dur}; usual {usual} ± {sigma}</source>
        <translation>{dur} 만에 {value}(으)로 급락, 평소 {usual} ± {sigma}</translation>
    </message>
    <message>
        <source>Dropped to {value}; usual {usual} ± {sigma}</source>
        <translation>{value}(으)로 급락, 평소 {usual} ± {sigma}</translation>
    </message>
    <message>
        <source>Shifted up to {value} for {dur}; usual {usual} ± {sigma}</source>
        <translation>{dur} 동안 {value}(으)로 상승 이동, 평소 {usual} ± {sigma}</translation>
    </message>
    <message>
        <source>Shifted up to {value}; usual {usual} ± {sigma}</source>
        <translation>{value}(으)로 상승 이동, 평소 {usual} ± {sigma}</translation>
    </message>
    <message>
        <source>Shifted down to {value} for {dur}; usual {usual} ± {sigma}</source>
        <translation>{dur} 동안 {value}(으)로 하강 이동, 평소 {usual} ± {sigma}</translation>
    </message>
    <message>
        <source>Shifted down to {value}; usual {usual} ± {sigma}</source>
        <translation>{value}(으)로 하강 이동, 평소 {usual} ± {sigma}</translation>
    </message>
    <message>
        <source>Rose to {value} in {dur}; usual change ± {step}</source>
        <translation>{dur} 만에 {value}(으)로 상승, 평소 변화 ± {step}</translation>
    </message>
    <message>
        <source>Dropped to {value} in {dur}; usual change ± {step}</source>
        <translation>{dur} 만에 {value}(으)로 하강, 평소 변화 ± {step}</translation>
    </message>
    <message>
        <source>Stuck at {value} for {dur}, longest before {dur2}</source>
        <translation>{dur} 동안 {value}에 고정, 이전 최장 {dur2}</translation>
    </message>
    <message>
        <source>At {value}; usual at this time of day {usual} ± {sigma}</source>
        <translation>현재 {value}, 하루 중 이 시각의 평소 값 {usual} ± {sigma}</translation>
    </message>
    <message>
        <source>At {value}; usual at this time of week {usual} ± {sigma}</source>
        <translation>현재 {value}, 한 주 중 이 시각의 평소 값 {usual} ± {sigma}</translation>
    </message>
    <message>
        <source>At {value}, outside the forecast {usual} ± {band} (95 %)</source>
        <translation>현재 {value}, 예측 {usual} ± {band} (95 %) 범위 밖</translation>
    </message>
    <message>
        <source>Fluctuating {times} times more than usual (changes of ± {recent} against ± {step})</source>
        <translation>평소보다 {times}배 크게 변동 (변화폭 ± {recent}, 평소 ± {step})</translation>
    </message>
    <message>
        <source>Fluctuating {times} times less than usual (changes of ± {recent} against ± {step})</source>
        <translation>평소보다 {times}배 작게 변동 (변화폭 ± {recent}, 평소 ± {step})</translation>
    </message>
    <message>
        <source>Rose by {size} in {dur}, faster than the possible {limit}/s</source>
        <translation>{dur} 동안 {size} 상승, 가능한 속도 {limit}/s 초과</translation>
    </message>
    <message>
        <source>Dropped by {size} in {dur}, faster than the possible {limit}/s</source>
        <translation>{dur} 동안 {size} 하강, 가능한 속도 {limit}/s 초과</translation>
    </message>
    <message>
        <source>At {value}, off its usual relation to {other}: expected {usual} ± {sigma} from it</source>
        <translation>{value}: {other}와(과)의 평소 관계에서 벗어남, 예상값 {usual} ± {sigma}</translation>
    </message>
    <message>
        <source>Unusual at {value}</source>
        <translation>{value}에서 이상</translation>
    </message>
    <message>
        <source>Unusual behaviour</source>
        <translation>평소와 다른 거동</translation>
    </message>
    <message>
        <source>at this time of day {usual}</source>
        <translation>하루 중 이 시각 기준 {usual}</translation>
    </message>
    <message>
        <source>at this time of week {usual}</source>
        <translation>한 주 중 이 시각 기준 {usual}</translation>
    </message>
    <message>
        <source>HIGH-HIGH</source>
        <translation>상상한</translation>
    </message>
    <message>
        <source>HIGH</source>
        <translation>상한</translation>
    </message>
    <message>
        <source>LOW-LOW</source>
        <translation>하하한</translation>
    </message>
    <message>
        <source>LOW</source>
        <translation>하한</translation>
    </message>
    <message>
        <source>{n} ms</source>
        <translation>{n} ms</translation>
    </message>
    <message>
        <source>{n} s</source>
        <translation>{n}초</translation>
    </message>
    <message>
        <source>{n} min</source>
        <translation>{n}분</translation>
    </message>
    <message>
        <source>{n} h</source>
        <translation>{n}시간</translation>
    </message>
    <message>
        <source>{n} d</source>
        <translation>{n}일</translation>
    </message>
    <message>
        <source>{n} day</source>
        <translation>{n}일</translation>
    </message>
    <message>
        <source>{n} days</source>
        <translation>{n}일</translation>
    </message>
    <message>
        <source>{h} h {m} min</source>
        <translation>{h}시간 {m}분</translation>
    </message>
    <message>
        <source>an unknown time</source>
        <translation>알 수 없는 시간</translation>
    </message>
    <message>
        <source>Access to port {port} was denied: another program may be using it, or you lack permission.</source>
        <translation>포트 {port}에 대한 접근이 거부되었습니다: 다른 프로그램이 사용 중이거나 권한이 없습니다.</translation>
    </message>
    <message>
        <source>Port {port} is busy: another program is using it.</source>
        <translation>포트 {port}은(는) 사용 중입니다: 다른 프로그램이 쓰고 있습니다.</translation>
    </message>
    <message>
        <source>Port {port} was not found: check the cable and the port name.</source>
        <translation>포트 {port}을(를) 찾을 수 없습니다: 케이블과 포트 이름을 점검하십시오.</translation>
    </message>
    <message>
        <source>Could not reach {port} ({protocol}): check the address and that the gateway is on.</source>
        <translation>{port}({protocol})에 연결할 수 없습니다: 주소와 게이트웨이 전원이 켜져 있는지 점검하십시오.</translation>
    </message>
    <message>
        <source>Could not reach {port}: {reason}.</source>
        <translation>{port}에 연결할 수 없습니다: {reason}.</translation>
    </message>
    <message>
        <source>{port} is not a valid port address: {reason}.</source>
        <translation>{port}은(는) 올바른 포트 주소가 아닙니다: {reason}.</translation>
    </message>
    <message>
        <source>Could not open {port} for {protocol}: check the port name and that no other program uses it.</source>
        <translation>{port}을(를) {protocol}(으)로 열 수 없습니다: 포트 이름과, 다른 프로그램이 그 포트를 쓰고 있지 않은지 점검하십시오.</translation>
    </message>
    <message>
        <source>Could not open port {port}: {reason}.</source>
        <translation>포트 {port}을(를) 열 수 없습니다: {reason}.</translation>
    </message>
    <message>
        <source>{port} stopped answering during the test: {reason}</source>
        <translation>테스트 중에 {port}이(가) 응답하지 않게 되었습니다: {reason}</translation>
    </message>
    <message>
        <source>{port} refuses parity {parity} (virtual ports such as ptys only do N): use parity N, or the device&apos;s real port.</source>
        <translation>{port}이(가) 패리티 {parity}을(를) 받아들이지 않습니다 (pty 같은 가상 포트는 N만 지원합니다): 패리티 N을 쓰거나 장치의 실제 포트를 쓰십시오.</translation>
    </message>
    <message>
        <source>No data arrived in {seconds} s: check the wiring, that the device is powered and sending, and the port.</source>
        <translation>{seconds}초 동안 데이터가 들어오지 않았습니다: 배선, 장치의 전원과 송신 여부, 포트를 점검하십시오.</translation>
    </message>
    <message>
        <source>Bytes arrive but no line ends: probably the wrong baud rate, or the device does not send text lines.</source>
        <translation>바이트는 들어오지만 줄 끝이 없습니다: 보레이트가 틀렸거나 장치가 텍스트 줄을 보내지 않는 것 같습니다.</translation>
    </message>
    <message>
        <source>Most lines were unreadable bytes: probably the wrong baud rate, parity or data bits ({settings}).</source>
        <translation>대부분의 줄이 읽을 수 없는 바이트였습니다: 보레이트, 패리티 또는 데이터 비트가 틀린 것 같습니다 ({settings}).</translation>
    </message>
    <message>
        <source>Most lines were lines in a form Watchkeeper cannot read: check the line format ({settings}).</source>
        <translation>대부분의 줄이 Watchkeeper가 읽을 수 없는 형식이었습니다: 줄 형식을 점검하십시오 ({settings}).</translation>
    </message>
    <message>
        <source>Looks right: {good} of {lines} lines read, {count} channel(s): {names}.</source>
        <translation>정상으로 보입니다: 줄 {lines}개 중 {good}개를 읽었고, 채널 {count}개: {names}.</translation>
    </message>
    <message>
        <source>The database {path} is being recorded by the Watchkeeper window, process {pid}; close it or record to another file with --db.</source>
        <translation>데이터베이스 {path}은(는) Watchkeeper 창(프로세스 {pid})이 기록하고 있습니다. 그 창을 닫거나 --db로 다른 파일에 기록하십시오.</translation>
    </message>
    <message>
        <source>The database {path} is being recorded by &apos;watchkeeper record&apos;, process {pid}; stop it or record to another file with --db.</source>
        <translation>데이터베이스 {path}은(는) &apos;watchkeeper record&apos;(프로세스 {pid})가 기록하고 있습니다. 그것을 멈추거나 --db로 다른 파일에 기록하십시오.</translation>
    </message>
    <message>
        <source>The database {path} is already open in {holder}; only one program can record to a file at a time.</source>
        <translation>데이터베이스 {path}이(가) 이미 {holder}에서 열려 있습니다. 한 파일에는 한 번에 한 프로그램만 기록할 수 있습니다.</translation>
    </message>
    <message>
        <source>The database {path} is being used by {holder}; stop it first or try again once it has finished.</source>
        <translation>데이터베이스 {path}을(를) {holder}이(가) 사용하고 있습니다. 먼저 그것을 멈추거나 끝난 뒤에 다시 시도하십시오.</translation>
    </message>
    <message>
        <source>{holder} (process {pid})</source>
        <translation>{holder} (프로세스 {pid})</translation>
    </message>
    <message>
        <source>another Watchkeeper, {program}</source>
        <translation>다른 Watchkeeper, {program}</translation>
    </message>
    <message>
        <source>another Watchkeeper</source>
        <translation>다른 Watchkeeper</translation>
    </message>
    <message>
        <source>another program, {program}</source>
        <translation>다른 프로그램, {program}</translation>
    </message>
    <message>
        <source>another program</source>
        <translation>다른 프로그램</translation>
    </message>
    <message>
        <source>The database {path} is damaged (part of it is missing or unreadable) and was left as it is; restore it from a backup or start with another file with --db.</source>
        <translation>데이터베이스 {path}이(가) 손상되어(일부가 없거나 읽을 수 없음) 그대로 두었습니다. 백업에서 복원하거나 --db로 다른 파일로 시작하십시오.</translation>
    </message>
    <message>
        <source>The file {path} is not a Watchkeeper database; choose another file with --db.</source>
        <translation>파일 {path}은(는) Watchkeeper 데이터베이스가 아닙니다. --db로 다른 파일을 고르십시오.</translation>
    </message>
    <message>
        <source>Watchkeeper may not open {path} (permission denied); give your user access to it or choose another file with --db.</source>
        <translation>Watchkeeper가 {path}을(를) 열 수 없습니다 (권한 없음). 사용자에게 접근 권한을 주거나 --db로 다른 파일을 고르십시오.</translation>
    </message>
    <message>
        <source>The disk holding {path} is full; free some space and start again.</source>
        <translation>{path}이(가) 있는 디스크가 가득 찼습니다. 공간을 확보한 뒤 다시 시작하십시오.</translation>
    </message>
    <message>
        <source>The database {path} is on a read-only disk; choose a file on a writable disk with --db.</source>
        <translation>데이터베이스 {path}이(가) 읽기 전용 디스크에 있습니다. --db로 쓰기 가능한 디스크의 파일을 고르십시오.</translation>
    </message>
    <message>
        <source>The database {path} does not exist; check the name given with --db.</source>
        <translation>데이터베이스 {path}이(가) 없습니다. --db로 지정한 이름을 점검하십시오.</translation>
    </message>
    <message>
        <source>The database {path} could not be opened; the log file has the details.</source>
        <translation>데이터베이스 {path}을(를) 열 수 없습니다. 자세한 내용은 로그 파일에 있습니다.</translation>
    </message>
    <message>
        <source>{path} is a folder, not a database file; give a file name such as {example}.</source>
        <translation>{path}은(는) 데이터베이스 파일이 아니라 폴더입니다. {example} 같은 파일 이름을 지정하십시오.</translation>
    </message>
    <message>
        <source>{name} is the name of {kind}, not of a database; choose a name ending in .duckdb with --db.</source>
        <translation>{name}은(는) 데이터베이스가 아니라 {kind}의 이름입니다. --db로 .duckdb로 끝나는 이름을 고르십시오.</translation>
    </message>
    <message>
        <source>The file {path} is empty and not a Watchkeeper database; choose another file with --db.</source>
        <translation>파일 {path}은(는) 비어 있으며 Watchkeeper 데이터베이스가 아닙니다. --db로 다른 파일을 고르십시오.</translation>
    </message>
    <message>
        <source>The file {path} is {kind}, not a Watchkeeper database; choose another file with --db (a new name starts a new database).</source>
        <translation>파일 {path}은(는) Watchkeeper 데이터베이스가 아니라 {kind}입니다. --db로 다른 파일을 고르십시오 (새 이름을 주면 새 데이터베이스가 시작됩니다).</translation>
    </message>
    <message>
        <source>The file {path} is a database of another program, not a Watchkeeper database; choose another file with --db.</source>
        <translation>파일 {path}은(는) Watchkeeper 데이터베이스가 아니라 다른 프로그램의 데이터베이스입니다. --db로 다른 파일을 고르십시오.</translation>
    </message>
    <message>
        <source>the file was written by a newer Watchkeeper (schema {found}, this one knows {known}); update Watchkeeper to open it</source>
        <translation>더 새로운 Watchkeeper가 기록한 파일입니다 (스키마 {found}, 이 버전은 {known}까지 지원). 이 파일을 열려면 Watchkeeper를 업데이트하십시오</translation>
    </message>
    <message>
        <source>Cannot use {path}: {problem}.</source>
        <translation>{path}을(를) 사용할 수 없습니다: {problem}.</translation>
    </message>
    <message>
        <source>Cannot create the folder {folder} for the database ({why}); choose a writable place with --db.</source>
        <translation>데이터베이스 폴더 {folder}을(를) 만들 수 없습니다 ({why}). --db로 쓰기 가능한 위치를 고르십시오.</translation>
    </message>
    <message>
        <source>the disk is read-only</source>
        <translation>디스크가 읽기 전용입니다</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>권한 없음</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>디스크가 가득 찼습니다</translation>
    </message>
    <message>
        <source>the system refused</source>
        <translation>시스템이 거부했습니다</translation>
    </message>
    <message>
        <source>an SQLite database</source>
        <translation>SQLite 데이터베이스</translation>
    </message>
    <message>
        <source>a Parquet file</source>
        <translation>Parquet 파일</translation>
    </message>
    <message>
        <source>some other program&apos;s file</source>
        <translation>다른 프로그램의 파일</translation>
    </message>
    <message>
        <source>a text file</source>
        <translation>텍스트 파일</translation>
    </message>
    <message>
        <source>a {suffix} file</source>
        <translation>{suffix} 파일</translation>
    </message>
    <message>
        <source>Cannot write to {path}: {problem}</source>
        <translation>{path}에 쓸 수 없습니다: {problem}</translation>
    </message>
    <message>
        <source>No space left on device; free some space on that disk</source>
        <translation>디스크에 남은 공간이 없습니다. 그 디스크의 공간을 확보하십시오</translation>
    </message>
    <message>
        <source>the disk has become read-only; check the disk or the network share</source>
        <translation>디스크가 읽기 전용이 되었습니다. 디스크나 네트워크 공유 폴더를 점검하십시오</translation>
    </message>
    <message>
        <source>permission denied; check who may write the file</source>
        <translation>권한이 없습니다. 이 파일에 쓸 수 있는 사용자를 점검하십시오</translation>
    </message>
    <message>
        <source>the file is damaged; stop recording and restore it from a backup</source>
        <translation>파일이 손상되었습니다. 기록을 멈추고 백업에서 복원하십시오</translation>
    </message>
    <message>
        <source>the file or its folder has gone (a network share lost?)</source>
        <translation>파일 또는 그 폴더가 없어졌습니다 (네트워크 공유 폴더 연결이 끊겼습니까?)</translation>
    </message>
    <message>
        <source>another program holds the file</source>
        <translation>다른 프로그램이 이 파일을 사용 중입니다</translation>
    </message>
    <message>
        <source>another part of Watchkeeper kept changing the same rows at that moment</source>
        <translation>그 순간 Watchkeeper의 다른 부분이 같은 행을 계속 바꾸고 있었습니다</translation>
    </message>
    <message>
        <source>another part of Watchkeeper keeps writing the same rows; the readings are retried</source>
        <translation>Watchkeeper의 다른 부분이 같은 행을 계속 쓰고 있습니다. 측정값 기록을 다시 시도합니다</translation>
    </message>
    <message>
        <source>the write failed; the log file has the details</source>
        <translation>쓰기에 실패했습니다. 자세한 내용은 로그 파일에 있습니다</translation>
    </message>
    <message>
        <source>The device on {port} sends more than {limit} different channel names; lines with new names are not stored (raise [port] max_channels if this is expected).</source>
        <translation>{port}의 장치가 서로 다른 채널 이름을 {limit}개보다 많이 보냅니다. 새 이름의 줄은 저장하지 않습니다 (예상된 일이면 [port] max_channels 값을 올리십시오).</translation>
    </message>
    <message>
        <source>Reading from {port} stopped unexpectedly and was restarted; see the log for details.</source>
        <translation>{port} 읽기가 예기치 않게 멈춰 다시 시작했습니다. 자세한 내용은 로그를 보십시오.</translation>
    </message>
    <message>
        <source>No readings of {missing} after {wait} of recording: [anomaly] machines names channels this recording does not have, so their relations are not judged (channels recorded: {recorded}).</source>
        <translation>기록을 시작하고 {wait}이 지나도록 {missing}의 측정값이 없습니다. [anomaly] machines에 이 기록에 없는 채널이 있어 그 채널들의 관계는 판정하지 않습니다 (기록 중인 채널: {recorded}).</translation>
    </message>
    <message>
        <source>{first}; {rest}</source>
        <translation>{first}; {rest}</translation>
    </message>
    <message>
        <source>address {address} is not a whole number (write 3, 0x03E8 or 30004)</source>
        <translation>주소 {address}은(는) 정수가 아닙니다 (3, 0x03E8 또는 30004처럼 쓰십시오)</translation>
    </message>
    <message>
        <source>address {address} must be 0 or more</source>
        <translation>주소 {address}은(는) 0 이상이어야 합니다</translation>
    </message>
    <message>
        <source>address {address} is a {table} address in 1-based notation, but the function is {function}</source>
        <translation>주소 {address}은(는) 1부터 세는 표기에서 {table} 주소인데, 기능은 {function}입니다</translation>
    </message>
    <message>
        <source>address {address} is neither a 0-based address (0-65535) nor in 10001/30001/40001 notation</source>
        <translation>주소 {address}은(는) 0부터 세는 주소(0-65535)도, 10001/30001/40001 표기도 아닙니다</translation>
    </message>
    <message>
        <source>{address} is not host:port (the port must be a whole number)</source>
        <translation>{address}은(는) 호스트:포트 형식이 아닙니다 (포트는 정수여야 합니다)</translation>
    </message>
    <message>
        <source>The {problem}.</source>
        <translation>{problem}.</translation>
    </message>
    <message>
        <source>A {table} holds one bit: read it as bool.</source>
        <translation>{table}은(는) 1비트입니다. bool로 읽으십시오.</translation>
    </message>
    <message>
        <source>The unit id must lie between 1 and {max}, not {unit}.</source>
        <translation>유닛 ID는 1에서 {max} 사이여야 합니다 ({unit}은(는) 안 됨).</translation>
    </message>
    <message>
        <source>{count} values of {type} do not fit in one Modbus request.</source>
        <translation>{type} 값 {count}개는 Modbus 요청 하나에 들어가지 않습니다.</translation>
    </message>
    <message>
        <source>Unit {unit} did not answer within {seconds} s (time-out): check its address, baud rate, parity and wiring.</source>
        <translation>유닛 {unit}이(가) {seconds}초 안에 응답하지 않았습니다 (시간 초과). 주소, 통신 속도, 패리티와 배선을 확인하십시오.</translation>
    </message>
    <message>
        <source>Unit {unit} answered with the Modbus exception {detail}.</source>
        <translation>유닛 {unit}이(가) Modbus 예외({detail})로 응답했습니다.</translation>
    </message>
    <message>
        <source>Unit {unit}&apos;s reply was damaged (CRC/framing error): check the baud rate, parity and cabling.</source>
        <translation>유닛 {unit}의 응답이 손상되었습니다 (CRC/프레임 오류). 통신 속도, 패리티와 케이블을 확인하십시오.</translation>
    </message>
    <message>
        <source>The link to unit {unit} is down: {detail}.</source>
        <translation>유닛 {unit}과(와)의 연결이 끊어졌습니다: {detail}.</translation>
    </message>
    <message>
        <source>Unit {unit}&apos;s reply could not be decoded: {detail}.</source>
        <translation>유닛 {unit}의 응답을 해석할 수 없습니다: {detail}.</translation>
    </message>
    <message>
        <source>exception code {code}</source>
        <translation>예외 코드 {code}</translation>
    </message>
    <message>
        <source>The unit ids {text} are not a list such as 1-247 or 1-10,20.</source>
        <translation>유닛 ID {text}은(는) 1-247 또는 1-10,20 같은 목록이 아닙니다.</translation>
    </message>
    <message>
        <source>Unit ids must lie between 1 and {max}, got {text}.</source>
        <translation>유닛 ID는 1에서 {max} 사이여야 합니다 (입력: {text}).</translation>
    </message>
    <message>
        <source>unit {unit} answers</source>
        <translation>유닛 {unit} 응답</translation>
    </message>
    <message>
        <source>unit {unit} answers (with the exception {detail})</source>
        <translation>유닛 {unit} 응답 (예외: {detail})</translation>
    </message>
    <message>
        <source>Scanning unit {unit} ({n}/{total}), {found} found, at most {seconds} s left</source>
        <translation>유닛 {unit} 스캔 중 ({n}/{total}), {found}개 발견, 최대 {seconds}초 남음</translation>
    </message>
    <message>
        <source>Scanned {done} unit ids: {found} answered.</source>
        <translation>유닛 ID {done}개 스캔 완료: {found}개 응답.</translation>
    </message>
    <message>
        <source>The link to {port} went down during the scan: {detail}.</source>
        <translation>스캔 중 {port} 연결이 끊어졌습니다: {detail}.</translation>
    </message>
    <message>
        <source>{slaves}, {points}: {list}</source>
        <translation>{slaves}, {points}: {list}</translation>
    </message>
    <message>
        <source>unit {unit} {name} ({channels})</source>
        <translation>유닛 {unit} {name} ({channels})</translation>
    </message>
    <message>
        <source>1 slave</source>
        <translation>슬레이브 1대</translation>
    </message>
    <message>
        <source>{n} slaves</source>
        <translation>슬레이브 {n}대</translation>
    </message>
    <message>
        <source>1 point</source>
        <translation>포인트 1개</translation>
    </message>
    <message>
        <source>{n} points</source>
        <translation>포인트 {n}개</translation>
    </message>
    <message>
        <source>{path} has no [modbus] section (the register map)</source>
        <translation>{path}에 [modbus] 섹션(레지스터 맵)이 없습니다</translation>
    </message>
    <message>
        <source>{path}: {problem}</source>
        <translation>{path}: {problem}</translation>
    </message>
    <message>
        <source>{where}.{problem}</source>
        <translation>{where}: {problem}</translation>
    </message>
    <message>
        <source>config file {path} does not exist</source>
        <translation>설정 파일 {path}이(가) 없습니다</translation>
    </message>
    <message>
        <source>config file {path} is not UTF-8 text</source>
        <translation>설정 파일 {path}은(는) UTF-8 텍스트가 아닙니다</translation>
    </message>
    <message>
        <source>config file {path} is not valid TOML: {detail}</source>
        <translation>설정 파일 {path}의 TOML 문법이 올바르지 않습니다: {detail}</translation>
    </message>
    <message>
        <source>config file {path} cannot be read: {detail}</source>
        <translation>설정 파일 {path}을(를) 읽을 수 없습니다: {detail}</translation>
    </message>
    <message>
        <source>unknown section [{section}] (known: {known})</source>
        <translation>알 수 없는 섹션 [{section}] (사용 가능: {known})</translation>
    </message>
    <message>
        <source>{where} has an unknown key &apos;{key}&apos; (allowed: {allowed})</source>
        <translation>{where}에 알 수 없는 키 &apos;{key}&apos;이(가) 있습니다 (사용 가능: {allowed})</translation>
    </message>
    <message>
        <source>{where} must be a table</source>
        <translation>{where}은(는) 테이블이어야 합니다</translation>
    </message>
    <message>
        <source>{where} must be a number, got {value}</source>
        <translation>{where}은(는) 숫자여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be a whole number, got {value}</source>
        <translation>{where}은(는) 정수여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be text, got {value}</source>
        <translation>{where}은(는) 텍스트여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be true or false, got {value}</source>
        <translation>{where}은(는) true 또는 false여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be between {low} and {high} seconds, got {value}</source>
        <translation>{where}은(는) {low}초에서 {high}초 사이여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be between 0 and 1 second, got {value}</source>
        <translation>{where}은(는) 0초보다 크고 1초 이하여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be between {low} and {high}, got {value}</source>
        <translation>{where}은(는) {low}에서 {high} 사이여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be at least {low}, got {value}</source>
        <translation>{where}은(는) {low} 이상이어야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be one of {names}, got {value}</source>
        <translation>{where}은(는) {names} 중 하나여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must not be empty</source>
        <translation>{where}은(는) 비어 있으면 안 됩니다</translation>
    </message>
    <message>
        <source>{where}: limits must be ordered hh &gt;= h &gt;= l &gt;= ll</source>
        <translation>{where}: 한계값은 hh ≥ h ≥ l ≥ ll 순서여야 합니다</translation>
    </message>
    <message>
        <source>{where} must be a whole number of at least {low}, got {value}</source>
        <translation>{where}은(는) {low} 이상의 정수여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be a number between {low} and {high}, got {value}</source>
        <translation>{where}은(는) {low}에서 {high} 사이의 숫자여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be 0 or more, got {value}</source>
        <translation>{where}은(는) 0 이상이어야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must not be negative, got {value}</source>
        <translation>{where}은(는) 음수일 수 없습니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be above 0, got {value}</source>
        <translation>{where}은(는) 0보다 커야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be above 0 and at most 1, got {value}</source>
        <translation>{where}은(는) 0보다 크고 1 이하여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be a positive number, got {value}</source>
        <translation>{where}은(는) 0보다 큰 숫자여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be a positive number of seconds, got {value}</source>
        <translation>{where}은(는) 0보다 큰 초 단위 숫자여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be a positive number of days, got {value}</source>
        <translation>{where}은(는) 0보다 큰 일수여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be text or whole number, got {value}</source>
        <translation>{where}은(는) 텍스트 또는 정수여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be list or text, got {value}</source>
        <translation>{where}은(는) 목록 또는 텍스트여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be a duration of whole seconds such as 30s, 1min, 15min or 1h, got {value}</source>
        <translation>{where}은(는) 30s, 1min, 15min, 1h 같은 정수 초 단위의 시간 길이여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be a table with only {allowed}</source>
        <translation>{where}은(는) {allowed} 키만 가진 테이블이어야 합니다</translation>
    </message>
    <message>
        <source>{where} must be a table of settings</source>
        <translation>{where}은(는) 설정 테이블이어야 합니다</translation>
    </message>
    <message>
        <source>{where} must be a table of per-channel tables</source>
        <translation>{where}은(는) 채널별 테이블을 담은 테이블이어야 합니다</translation>
    </message>
    <message>
        <source>{where} must hold one table per channel, e.g. {example}</source>
        <translation>{where}에는 채널마다 테이블이 하나씩 있어야 합니다 (예: {example})</translation>
    </message>
    <message>
        <source>{where} must be a list of channel names, got {value}</source>
        <translation>{where}은(는) 채널 이름의 목록이어야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be a list of texts, got {value}</source>
        <translation>{where}은(는) 텍스트 목록이어야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be a table of texts, e.g. {example}</source>
        <translation>{where}은(는) 값이 모두 텍스트인 테이블이어야 합니다 (예: {example})</translation>
    </message>
    <message>
        <source>{where} needs at least one {table} table</source>
        <translation>{where}에는 {table} 테이블이 하나 이상 있어야 합니다</translation>
    </message>
    <message>
        <source>[port] {problem}</source>
        <translation>[port] 설정: {problem}</translation>
    </message>
    <message>
        <source>baud rate must be a positive whole number, got {value}</source>
        <translation>통신 속도(baudrate)는 양의 정수여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>parity must be one of N, E, O, M, S, got {value}</source>
        <translation>패리티(parity)는 N, E, O, M, S 중 하나여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>stop bits must be 1, 1.5 or 2, got {value}</source>
        <translation>정지 비트(stopbits)는 1, 1.5 또는 2여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>data bits must be 5, 6, 7 or 8, got {value}</source>
        <translation>데이터 비트(bytesize)는 5, 6, 7 또는 8이어야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be a hexadecimal USB id such as &quot;0403&quot;, got {value}</source>
        <translation>{where}은(는) &quot;0403&quot; 같은 16진수 USB ID여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>channels must be a list of [[channels]] tables</source>
        <translation>channels는 [[channels]] 테이블의 목록이어야 합니다</translation>
    </message>
    <message>
        <source>{where} must be a table with field and name</source>
        <translation>{where}은(는) field와 name을 가진 테이블이어야 합니다</translation>
    </message>
    <message>
        <source>{where} is missing (a key name or a 1-based column number)</source>
        <translation>{where}이(가) 없습니다 (키 이름 또는 1부터 세는 열 번호를 쓰십시오)</translation>
    </message>
    <message>
        <source>{where} must be a column number from 1, got {value}</source>
        <translation>{where}은(는) 1부터 세는 열 번호여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} &apos;{name}&apos; is used by another channel</source>
        <translation>{where} &apos;{name}&apos;은(는) 다른 채널이 이미 쓰고 있습니다</translation>
    </message>
    <message>
        <source>retention must keep raw_days &lt;= minute_days &lt;= hour_days</source>
        <translation>retention은 raw_days ≤ minute_days ≤ hour_days 순서여야 합니다</translation>
    </message>
    <message>
        <source>{where} has an unknown key &apos;{key}&apos; (this release has no [ui] settings)</source>
        <translation>{where}에 알 수 없는 키 &apos;{key}&apos;이(가) 있습니다 (이 버전에는 [ui] 설정이 없습니다)</translation>
    </message>
    <message>
        <source>{where} must be in the same table as the point ({function})</source>
        <translation>{where}은(는) 포인트와 같은 테이블({function})에 있어야 합니다</translation>
    </message>
    <message>
        <source>{where} needs a channel name and an address</source>
        <translation>{where}에는 채널 이름과 주소가 있어야 합니다</translation>
    </message>
    <message>
        <source>{where} must be a number such as 3, &quot;0x03E8&quot; or 30004, got {value}</source>
        <translation>{where}은(는) 3, &quot;0x03E8&quot; 또는 30004 같은 숫자여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} is missing: say coil, discrete, input or holding, or write the address in 30001/40001 notation</source>
        <translation>{where}이(가) 없습니다: coil, discrete, input, holding 중 하나를 쓰거나 주소를 30001/40001 표기로 쓰십시오</translation>
    </message>
    <message>
        <source>{where} must be bool for a {table}, got {type}</source>
        <translation>{table}의 {where}은(는) bool이어야 합니다 (입력: {type})</translation>
    </message>
    <message>
        <source>{where} {address} leaves no room for a {type}</source>
        <translation>{where} {address}부터는 {type} 값이 주소 범위를 넘습니다</translation>
    </message>
    <message>
        <source>{where} is missing (the slave&apos;s Modbus address, 1-{max})</source>
        <translation>{where}이(가) 없습니다 (슬레이브의 Modbus 주소, 1-{max})</translation>
    </message>
    <message>
        <source>{where} {unit} is used by another slave</source>
        <translation>{where} {unit}은(는) 다른 슬레이브가 이미 쓰고 있습니다</translation>
    </message>
    <message>
        <source>{where} &apos;{name}&apos; is used by another point</source>
        <translation>{where} &apos;{name}&apos;은(는) 다른 포인트가 이미 쓰고 있습니다</translation>
    </message>
    <message>
        <source>{where} needs {count} registers but the slave allows {max}</source>
        <translation>{where}에는 레지스터 {count}개가 필요하지만 슬레이브는 {max}개까지만 허용합니다</translation>
    </message>
    <message>
        <source>{text} has a bad escape: {detail}</source>
        <translation>{text}에 잘못된 이스케이프 문자가 있습니다: {detail}</translation>
    </message>
    <message>
        <source>{where} must be regex, auto, csv, kv or json, got {value}</source>
        <translation>{where}은(는) regex, auto, csv, kv, json 중 하나여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} is not a valid regular expression: {detail}</source>
        <translation>{where}은(는) 올바른 정규식이 아닙니다: {detail}</translation>
    </message>
    <message>
        <source>{where} must name a group of the pattern ({groups})</source>
        <translation>{where}은(는) 패턴의 그룹 중 하나를 지정해야 합니다 ({groups})</translation>
    </message>
    <message>
        <source>{where} needs at least one [[...channels]] naming a group of its pattern</source>
        <translation>{where}에는 패턴의 그룹을 지정하는 [[...channels]]가 하나 이상 있어야 합니다</translation>
    </message>
    <message>
        <source>{where} must be low, medium, high or critical, got {value}</source>
        <translation>{where}은(는) low, medium, high, critical 중 하나여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be [low, high], got {value}</source>
        <translation>{where}은(는) [low, high] 형식이어야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be [low, high] with high above low, got {value}</source>
        <translation>{where}은(는) high가 low보다 큰 [low, high]여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be a list of channel lists, e.g. [[&quot;current&quot;, &quot;flow&quot;, &quot;pressure&quot;]], got {value}</source>
        <translation>{where}은(는) [[&quot;current&quot;, &quot;flow&quot;, &quot;pressure&quot;]]처럼 채널 목록의 목록이어야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be a list of channel lists, e.g. [[&quot;current&quot;, &quot;flow&quot;, &quot;pressure&quot;]]; machine {number} is {value}</source>
        <translation>{where}은(는) [[&quot;current&quot;, &quot;flow&quot;, &quot;pressure&quot;]]처럼 채널 목록의 목록이어야 합니다 (설비 {number}: {value})</translation>
    </message>
    <message>
        <source>{where}: machine {number} needs at least two different channels</source>
        <translation>{where}: 설비 {number}에는 서로 다른 채널이 둘 이상 있어야 합니다</translation>
    </message>
    <message>
        <source>{where}: channel &apos;{name}&apos; is in machine {first} and machine {second}; a channel belongs to one machine</source>
        <translation>{where}: 채널 &apos;{name}&apos;이(가) 설비 {first}와(과) 설비 {second}에 모두 있습니다. 채널은 한 설비에만 속할 수 있습니다</translation>
    </message>
    <message>
        <source>{where}: machine {number} lists channel &apos;{name}&apos; twice</source>
        <translation>{where}: 설비 {number}에 채널 &apos;{name}&apos;이(가) 두 번 있습니다</translation>
    </message>
    <message>
        <source>{where} must not exceed lookback ({lookback}), got {value}</source>
        <translation>{where}은(는) 입력 길이 (lookback) {lookback}을(를) 넘을 수 없습니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must look like {example}, got {value}</source>
        <translation>{where}은(는) {example} 형식이어야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} has a port that is not a number: {value}</source>
        <translation>{where}의 포트가 숫자가 아닙니다: {value}</translation>
    </message>
    <message>
        <source>{where} must be a positive number of readings per second, got {value}</source>
        <translation>{where}은(는) 0보다 큰 초당 측정값 수여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be &quot;5&quot; or &quot;3.1.1&quot;, got {value}</source>
        <translation>{where}은(는) &quot;5&quot; 또는 &quot;3.1.1&quot;이어야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} must be a topic prefix without + or #, got {value}</source>
        <translation>{where}은(는) + 또는 #이 없는 토픽 접두어여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where}: InfluxDB 2 needs both bucket and token (InfluxDB 1 needs database)</source>
        <translation>{where}: InfluxDB 2에는 bucket과 token이 모두 필요합니다 (InfluxDB 1에는 database가 필요합니다)</translation>
    </message>
    <message>
        <source>{where}: measurement names must not be empty</source>
        <translation>{where}: measurement 이름은 비어 있으면 안 됩니다</translation>
    </message>
    <message>
        <source>{where}: priority {value} is not one of {names}</source>
        <translation>{where}: 우선순위 {value}은(는) {names} 중 하나가 아닙니다</translation>
    </message>
    <message>
        <source>{where} must be a time such as &quot;07:00&quot;, got {value}</source>
        <translation>{where}은(는) &quot;07:00&quot; 같은 시각이어야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>{where} needs host, from (an address) and to (a list of addresses)</source>
        <translation>{where}에는 host, from(주소), to(주소 목록)가 있어야 합니다</translation>
    </message>
    <message>
        <source>{where} must be starttls, tls or none, got {value}</source>
        <translation>{where}은(는) starttls, tls, none 중 하나여야 합니다 (입력: {value})</translation>
    </message>
    <message>
        <source>cannot write {path}: the disk is full</source>
        <translation>{path}에 쓸 수 없습니다: 디스크가 가득 찼습니다</translation>
    </message>
    <message>
        <source>cannot write {path}: permission denied or read-only disk</source>
        <translation>{path}에 쓸 수 없습니다: 권한이 없거나 읽기 전용 디스크입니다</translation>
    </message>
    <message>
        <source>cannot write {path}: {detail}</source>
        <translation>{path}에 쓸 수 없습니다: {detail}</translation>
    </message>
    <message>
        <source>cannot export from {db} to {path}; the log file has the details</source>
        <translation>{db}에서 {path}(으)로 내보낼 수 없습니다. 자세한 내용은 로그 파일에 있습니다</translation>
    </message>
    <message>
        <source>Watchkeeper (process {pid}) recording {path}</source>
        <translation>{path}을(를) 기록 중인 Watchkeeper(프로세스 {pid})</translation>
    </message>
    <message>
        <source>{who} could not be reached; try again in a moment.</source>
        <translation>{who}에 연결할 수 없습니다. 잠시 후 다시 시도하십시오.</translation>
    </message>
    <message>
        <source>{who} did not answer within {seconds} s.</source>
        <translation>{who}이(가) {seconds}초 안에 응답하지 않았습니다.</translation>
    </message>
    <message>
        <source>{who} ended the connection without answering.</source>
        <translation>{who}이(가) 응답 없이 연결을 끊었습니다.</translation>
    </message>
    <message>
        <source>{who} sent an answer this Watchkeeper cannot read.</source>
        <translation>{who}이(가) 이 Watchkeeper가 읽을 수 없는 응답을 보냈습니다.</translation>
    </message>
    <message>
        <source>{who} could not answer; its log file has the details.</source>
        <translation>{who}이(가) 응답할 수 없었습니다. 자세한 내용은 그쪽 로그 파일에 있습니다.</translation>
    </message>
    <message>
        <source>&apos;watchkeeper record&apos; (process {pid}) did not let go of {path} in time.</source>
        <translation>&apos;watchkeeper record&apos;(프로세스 {pid})가 제때 {path}을(를) 놓지 않았습니다.</translation>
    </message>
    <message>
        <source>Channel &apos;{channel}&apos; has {n} steps of {interval} history; training needs at least {need} (about {dur}) for lookback {lookback} and horizon {horizon}.</source>
        <translation>채널 &apos;{channel}&apos;의 이력은 {interval} 간격으로 {n}단계입니다. 입력 길이 {lookback}, 예측 길이 {horizon}(으)로 학습하려면 적어도 {need}단계(약 {dur})가 필요합니다.</translation>
    </message>
    <message>
        <source>Channel &apos;{channel}&apos; has no readings in its training range.</source>
        <translation>채널 &apos;{channel}&apos;의 학습 구간에 측정값이 없습니다.</translation>
    </message>
    <message>
        <source>Channel &apos;{channel}&apos; has only {train} training and {val} validation windows free of gaps longer than {gap} steps; training needs at least {min_train} and {min_val} (record more history or raise max_gap_steps).</source>
        <translation>채널 &apos;{channel}&apos;에는 {gap}단계보다 긴 공백이 없는 학습 구간이 {train}개, 검증 구간이 {val}개뿐입니다. 학습에는 적어도 {min_train}개와 {min_val}개가 필요합니다 (이력을 더 기록하거나 max_gap_steps를 늘리십시오).</translation>
    </message>
    <message>
        <source>Channel &apos;{channel}&apos; has {n} steps of {interval} history; a forecast needs the last {lookback} (about {dur}).</source>
        <translation>채널 &apos;{channel}&apos;의 이력은 {interval} 간격으로 {n}단계입니다. 예측에는 최근 {lookback}단계(약 {dur})가 필요합니다.</translation>
    </message>
    <message>
        <source>Channel &apos;{channel}&apos; has a gap longer than {gap} steps in its last {lookback} steps (until {until} UTC); forecasts resume once {lookback} steps have been recorded after it.</source>
        <translation>채널 &apos;{channel}&apos;의 최근 {lookback}단계에 {gap}단계보다 긴 공백이 있습니다 ({until} UTC까지). 그 뒤로 {lookback}단계가 기록되면 예측이 다시 시작됩니다.</translation>
    </message>
    <message>
        <source>channel &apos;{channel}&apos;</source>
        <translation>채널 &apos;{channel}&apos;</translation>
    </message>
    <message>
        <source>this channel</source>
        <translation>이 채널</translation>
    </message>
    <message>
        <source>its channel</source>
        <translation>해당 채널</translation>
    </message>
    <message>
        <source>The forecast model {path} is damaged or not a Watchkeeper model; retrain {who} ({why}).</source>
        <translation>예측 모델 {path}이(가) 손상되었거나 Watchkeeper 모델이 아닙니다. {who}을(를) 다시 학습하십시오 ({why}).</translation>
    </message>
    <message>
        <source>it is not text</source>
        <translation>텍스트 파일이 아님</translation>
    </message>
    <message>
        <source>not valid JSON at line {line}</source>
        <translation>{line}행의 JSON이 올바르지 않음</translation>
    </message>
    <message>
        <source>it does not say it is a Watchkeeper forecast model</source>
        <translation>Watchkeeper 예측 모델이라는 표시가 없음</translation>
    </message>
    <message>
        <source>it names no channel</source>
        <translation>채널 이름이 없음</translation>
    </message>
    <message>
        <source>the setting {name} is missing</source>
        <translation>설정 {name}이(가) 없음</translation>
    </message>
    <message>
        <source>The forecast model {path} cannot be read ({detail}).</source>
        <translation>예측 모델 {path}을(를) 읽을 수 없습니다 ({detail}).</translation>
    </message>
    <message>
        <source>There is no forecast model for {who} in {folder}; train one with &apos;watchkeeper train&apos;.</source>
        <translation>{folder}에 {who}의 예측 모델이 없습니다. &apos;watchkeeper train&apos;(으)로 학습하십시오.</translation>
    </message>
    <message>
        <source>There are no forecast models in {folder}; train one with &apos;watchkeeper train&apos;.</source>
        <translation>{folder}에 예측 모델이 없습니다. &apos;watchkeeper train&apos;(으)로 학습하십시오.</translation>
    </message>
    <message>
        <source>The forecast model {path} was saved by a newer Watchkeeper (format {found}, this one reads {known}); update Watchkeeper or retrain {who}.</source>
        <translation>예측 모델 {path}은(는) 더 새로운 Watchkeeper가 저장했습니다 (형식 {found}, 이 버전은 {known}까지 읽음). Watchkeeper를 업데이트하거나 {who}을(를) 다시 학습하십시오.</translation>
    </message>
    <message>
        <source>The forecast model {path} belongs to channel &apos;{other}&apos;, not &apos;{channel}&apos;; retrain &apos;{channel}&apos; or put the file back under its own name.</source>
        <translation>예측 모델 {path}은(는) &apos;{channel}&apos;이(가) 아니라 채널 &apos;{other}&apos;의 모델입니다. &apos;{channel}&apos;을(를) 다시 학습하거나 파일 이름을 원래대로 되돌리십시오.</translation>
    </message>
    <message>
        <source>The forecast model {path} is for channel &apos;{channel}&apos;, whose model must be named {name}; rename or remove the file, or retrain &apos;{channel}&apos;.</source>
        <translation>예측 모델 {path}은(는) 채널 &apos;{channel}&apos;의 모델이며, 이름이 {name}이어야 합니다. 파일 이름을 바꾸거나 지우거나, &apos;{channel}&apos;을(를) 다시 학습하십시오.</translation>
    </message>
    <message>
        <source>The model of channel &apos;{channel}&apos; cannot be used: {detail}.</source>
        <translation>채널 &apos;{channel}&apos;의 모델을 쓸 수 없습니다: {detail}.</translation>
    </message>
    <message>
        <source>Cannot write {path}: {detail}.</source>
        <translation>{path}에 쓸 수 없습니다: {detail}.</translation>
    </message>
    <message>
        <source>Cannot replace {path} ({detail}); is it open in another program?</source>
        <translation>{path}을(를) 바꿀 수 없습니다 ({detail}). 다른 프로그램에서 열려 있지 않습니까?</translation>
    </message>
    <message>
        <source>Training of &apos;{channel}&apos; stopped unexpectedly (exit code {code}).</source>
        <translation>&apos;{channel}&apos; 학습이 예기치 않게 멈췄습니다 (종료 코드 {code}).</translation>
    </message>
    <message>
        <source>Training of &apos;{channel}&apos; failed unexpectedly; the log file has the details.</source>
        <translation>&apos;{channel}&apos; 학습이 예기치 않게 실패했습니다. 자세한 내용은 로그 파일에 있습니다.</translation>
    </message>
    <message>
        <source>Training of &apos;{channel}&apos; was cancelled.</source>
        <translation>&apos;{channel}&apos; 학습을 취소했습니다.</translation>
    </message>
    <message>
        <source>The Task Scheduler could not be reached ({detail}).</source>
        <translation>작업 스케줄러에 연결할 수 없습니다 ({detail}).</translation>
    </message>
    <message>
        <source>Windows refused to add the logon task; start Watchkeeper by hand, or ask your administrator (schtasks said: {said}).</source>
        <translation>Windows가 로그온 작업 추가를 거부했습니다. Watchkeeper를 직접 시작하거나 관리자에게 문의하십시오 (schtasks 메시지: {said}).</translation>
    </message>
    <message>
        <source>Windows refused to remove the logon task; remove it in the Task Scheduler.</source>
        <translation>Windows가 로그온 작업 삭제를 거부했습니다. 작업 스케줄러에서 삭제하십시오.</translation>
    </message>
    <message>
        <source>illegal function</source>
        <translation>잘못된 기능 코드</translation>
    </message>
    <message>
        <source>illegal data address</source>
        <translation>잘못된 데이터 주소</translation>
    </message>
    <message>
        <source>illegal data value</source>
        <translation>잘못된 데이터 값</translation>
    </message>
    <message>
        <source>device failure</source>
        <translation>장치 고장</translation>
    </message>
    <message>
        <source>acknowledge</source>
        <translation>요청 접수(처리 중)</translation>
    </message>
    <message>
        <source>device busy</source>
        <translation>장치 사용 중</translation>
    </message>
    <message>
        <source>memory parity error</source>
        <translation>메모리 패리티 오류</translation>
    </message>
    <message>
        <source>gateway path unavailable</source>
        <translation>게이트웨이 경로 없음</translation>
    </message>
    <message>
        <source>gateway target device failed to respond</source>
        <translation>게이트웨이 대상 장치 응답 없음</translation>
    </message>
</context>
<context>
    <name>AlarmPanel</name>
    <message>
        <source>for 15 min</source>
        <translation>15분 동안</translation>
    </message>
    <message>
        <source>for 1 h</source>
        <translation>1시간 동안</translation>
    </message>
    <message>
        <source>for 8 h</source>
        <translation>8시간 동안</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>우선순위</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>발생 시각</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>채널</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>경보</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>값</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>확인 시각</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>메시지</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>시각</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>메모</translation>
    </message>
    <message>
        <source>KPIs</source>
        <translation>KPI</translation>
    </message>
    <message>
        <source>Comment (optional), saved in the journal</source>
        <translation>메모 (선택), 경보 이력에 저장됨</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>확인</translation>
    </message>
    <message>
        <source>Acknowledge all</source>
        <translation>모두 확인</translation>
    </message>
    <message>
        <source>Shelve</source>
        <translation>보류</translation>
    </message>
    <message>
        <source>for…</source>
        <translation>기간 지정…</translation>
    </message>
    <message>
        <source>until it returns to normal</source>
        <translation>정상 복귀 시까지</translation>
    </message>
    <message>
        <source>Unshelve</source>
        <translation>보류 해제</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>발생 중</translation>
    </message>
    <message>
        <source>Shelve for how many minutes?</source>
        <translation>몇 분 동안 보류하시겠습니까?</translation>
    </message>
    <message>
        <source> (chattering)</source>
        <translation> (채터링)</translation>
    </message>
    <message>
        <source>Active ({n})</source>
        <translation>발생 중 ({n})</translation>
    </message>
    <message>
        <source>last hour</source>
        <translation>최근 1시간</translation>
    </message>
    <message>
        <source>last 24 h</source>
        <translation>최근 24시간</translation>
    </message>
    <message>
        <source>last 7 days</source>
        <translation>최근 7일</translation>
    </message>
    <message>
        <source>last 30 days</source>
        <translation>최근 30일</translation>
    </message>
    <message>
        <source>all priorities</source>
        <translation>모든 우선순위</translation>
    </message>
    <message>
        <source>Filter text</source>
        <translation>검색어</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV 내보내기…</translation>
    </message>
    <message>
        <source>Journal</source>
        <translation>경보 이력</translation>
    </message>
    <message>
        <source>all channels</source>
        <translation>모든 채널</translation>
    </message>
</context>
<context>
    <name>AlarmWords</name>
    <message>
        <source>critical</source>
        <translation>긴급</translation>
    </message>
    <message>
        <source>high</source>
        <translation>높음</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>중간</translation>
    </message>
    <message>
        <source>low</source>
        <translation>낮음</translation>
    </message>
    <message>
        <source>HH</source>
        <translation>HH</translation>
    </message>
    <message>
        <source>H</source>
        <translation>H</translation>
    </message>
    <message>
        <source>L</source>
        <translation>L</translation>
    </message>
    <message>
        <source>LL</source>
        <translation>LL</translation>
    </message>
    <message>
        <source>anomaly</source>
        <translation>이상 징후</translation>
    </message>
    <message>
        <source>predictive</source>
        <translation>예측 경보</translation>
    </message>
    <message>
        <source>comm_loss</source>
        <translation>통신 두절</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>정상</translation>
    </message>
    <message>
        <source>active unack</source>
        <translation>발생·미확인</translation>
    </message>
    <message>
        <source>active ack</source>
        <translation>발생·확인</translation>
    </message>
    <message>
        <source>rtn unack</source>
        <translation>복귀·미확인</translation>
    </message>
    <message>
        <source>shelved</source>
        <translation>보류됨</translation>
    </message>
    <message>
        <source>suppressed</source>
        <translation>억제됨</translation>
    </message>
    <message>
        <source>out of service</source>
        <translation>사용 중지</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>연결됨</translation>
    </message>
    <message>
        <source>lost</source>
        <translation>통신 두절</translation>
    </message>
    <message>
        <source>reconnecting</source>
        <translation>재연결 중</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>정지됨</translation>
    </message>
</context>
<context>
    <name>Application</name>
    <message>
        <source>The configuration has a problem: {error}. Watchkeeper starts with default settings.</source>
        <translation>설정 파일에 문제가 있습니다: {error}. Watchkeeper를 기본 설정으로 시작합니다.</translation>
    </message>
    <message>
        <source> — demo</source>
        <translation> — 데모</translation>
    </message>
    <message>
        <source> — Modbus demo</source>
        <translation> — Modbus 데모</translation>
    </message>
    <message>
        <source>Recording taken over from the background recorder (process {pid}); it records again when this window closes.</source>
        <translation>백그라운드 기록기(프로세스 {pid})로부터 기록을 넘겨받았습니다. 이 창을 닫으면 백그라운드 기록기가 다시 기록합니다.</translation>
    </message>
    <message>
        <source> Close the other program or start with another file (--db).</source>
        <translation> 다른 프로그램을 닫거나 다른 파일로 시작하십시오 (--db).</translation>
    </message>
    <message>
        <source> Start with another file (--db).</source>
        <translation> 다른 파일로 시작하십시오 (--db).</translation>
    </message>
    <message>
        <source>The [forecast] settings have a problem: {error}. Defaults are used.</source>
        <translation>[forecast] 설정에 문제가 있습니다: {error}. 기본값을 사용합니다.</translation>
    </message>
    <message>
        <source>The [forward] or [notify] settings have a problem: {error}. Nothing is forwarded.</source>
        <translation>[forward] 또는 [notify] 설정에 문제가 있습니다: {error}. 아무것도 전송하지 않습니다.</translation>
    </message>
    <message>
        <source>The [anomaly] settings have a problem: {error}. Defaults are used.</source>
        <translation>[anomaly] 설정에 문제가 있습니다: {error}. 기본값을 사용합니다.</translation>
    </message>
    <message>
        <source>The [alarms] settings have a problem: {error}. Default alarms are used.</source>
        <translation>[alarms] 설정에 문제가 있습니다: {error}. 기본 경보를 사용합니다.</translation>
    </message>
    <message>
        <source>The register map chosen last time cannot be used: {error}. Choose one again.</source>
        <translation>지난번에 고른 레지스터 맵을 쓸 수 없습니다: {error}. 다시 고르십시오.</translation>
    </message>
    <message>
        <source>The simulated Modbus bus could not be started on this PC.</source>
        <translation>이 PC에서 모의 Modbus 버스를 시작할 수 없습니다.</translation>
    </message>
    <message>
        <source>Export the visible range</source>
        <translation>보이는 구간 내보내기</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 파일 (*.csv)</translation>
    </message>
    <message>
        <source>Save the plots</source>
        <translation>그래프 저장</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 이미지 (*.png)</translation>
    </message>
    <message>
        <source>Alarm limits saved; they apply from now on.</source>
        <translation>경보 한계를 저장했습니다. 지금부터 적용됩니다.</translation>
    </message>
    <message>
        <source>Export the alarm journal</source>
        <translation>경보 이력 내보내기</translation>
    </message>
    <message>
        <source>An unexpected error occurred: {error}. Monitoring goes on; details are in {path}.</source>
        <translation>예기치 않은 오류가 발생했습니다: {error}. 감시는 계속됩니다. 자세한 내용은 {path}에 있습니다.</translation>
    </message>
</context>
<context>
    <name>BusView</name>
    <message>
        <source>Unit</source>
        <translation>유닛</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>요청</translation>
    </message>
    <message>
        <source>Good</source>
        <translation>정상 응답</translation>
    </message>
    <message>
        <source>Time-outs</source>
        <translation>시간 초과</translation>
    </message>
    <message>
        <source>CRC/framing</source>
        <translation>CRC/프레임 오류</translation>
    </message>
    <message>
        <source>Exceptions</source>
        <translation>예외 응답</translation>
    </message>
    <message>
        <source>Reply p50</source>
        <translation>응답 p50</translation>
    </message>
    <message>
        <source>Reply p99</source>
        <translation>응답 p99</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>마지막 오류</translation>
    </message>
    <message>
        <source>time-out</source>
        <translation>시간 초과</translation>
    </message>
    <message>
        <source>CRC/framing error</source>
        <translation>CRC/프레임 오류</translation>
    </message>
    <message>
        <source>Modbus exception</source>
        <translation>Modbus 예외</translation>
    </message>
    <message>
        <source>link down</source>
        <translation>연결 끊김</translation>
    </message>
    <message>
        <source>not answering (next try in {n} s)</source>
        <translation>응답 없음 ({n}초 후 재시도)</translation>
    </message>
    <message>
        <source>answering</source>
        <translation>응답 중</translation>
    </message>
    <message>
        <source>not answering</source>
        <translation>응답 없음</translation>
    </message>
    <message>
        <source>not polled yet</source>
        <translation>아직 폴링 안 함</translation>
    </message>
    <message>
        <source>Shown while a Modbus bus is recorded.</source>
        <translation>Modbus 버스를 기록하는 동안 표시됩니다.</translation>
    </message>
    <message>
        <source>{n} slaves, {lost} not answering.</source>
        <translation>슬레이브 {n}대, 응답 없음 {lost}대.</translation>
    </message>
    <message>
        <source>{n} slaves, all answering.</source>
        <translation>슬레이브 {n}대, 모두 응답 중.</translation>
    </message>
</context>
<context>
    <name>ChannelTile</name>
    <message>
        <source>{arrow} {slope}/min</source>
        <translation>{arrow} {slope}/분</translation>
    </message>
    <message>
        <source>{name}: last reading {age} ago</source>
        <translation>{name}: 마지막 측정값 {age} 전</translation>
    </message>
    <message>
        <source>now</source>
        <translation>방금</translation>
    </message>
    <message>
        <source>{n} s</source>
        <translation>{n}초</translation>
    </message>
    <message>
        <source>{n} min</source>
        <translation>{n}분</translation>
    </message>
    <message>
        <source>{n} h</source>
        <translation>{n}시간</translation>
    </message>
</context>
<context>
    <name>Exports</name>
    <message>
        <source>Nothing to export: no channel is shown.</source>
        <translation>내보낼 것이 없습니다: 표시된 채널이 없습니다.</translation>
    </message>
    <message>
        <source>Export failed: {error}</source>
        <translation>내보내기 실패: {error}</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>권한이 없습니다</translation>
    </message>
    <message>
        <source>the folder does not exist</source>
        <translation>폴더가 없습니다</translation>
    </message>
    <message>
        <source>part of the path is a file, not a folder</source>
        <translation>경로의 일부가 폴더가 아니라 파일입니다</translation>
    </message>
    <message>
        <source>a folder of that name is in the way</source>
        <translation>같은 이름의 폴더가 있습니다</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>디스크가 가득 찼습니다</translation>
    </message>
    <message>
        <source>the system refused ({reason})</source>
        <translation>시스템이 거부했습니다 ({reason})</translation>
    </message>
    <message>
        <source>Saved {rows} readings to {path}.</source>
        <translation>측정값 {rows}개를 {path}에 저장했습니다.</translation>
    </message>
    <message>
        <source>Saved {rows} {resolution} averages with min/max to {path}.</source>
        <translation>{resolution} 평균값(최소/최대 포함) {rows}개를 {path}에 저장했습니다.</translation>
    </message>
    <message>
        <source>Could not save the image to {path}.</source>
        <translation>이미지를 {path}에 저장할 수 없습니다.</translation>
    </message>
    <message>
        <source>Saved the plots to {path}.</source>
        <translation>그래프를 {path}에 저장했습니다.</translation>
    </message>
</context>
<context>
    <name>ForecastController</name>
    <message>
        <source>Training a first forecast model on the demo history…</source>
        <translation>데모 이력으로 첫 예측 모델을 학습하는 중…</translation>
    </message>
    <message>
        <source>Model for &apos;{channel}&apos; trained: skill {skill} against persistence.</source>
        <translation>&apos;{channel}&apos; 모델 학습 완료: 지속 예측 대비 기량 {skill}.</translation>
    </message>
    <message>
        <source>Forecast for {channels} made at {at} and written to {path}.</source>
        <translation>{at}에 {channels} 예측을 만들어 {path}에 기록했습니다.</translation>
    </message>
    <message>
        <source>Forecast for {channels} made at {at}.</source>
        <translation>{at}에 {channels} 예측을 만들었습니다.</translation>
    </message>
    <message>
        <source>forecast skill: learning</source>
        <translation>예측 기량: 학습 중</translation>
    </message>
    <message>
        <source>forecast skill {skill} vs persistence</source>
        <translation>예측 기량 {skill} (지속 예측 대비)</translation>
    </message>
    <message>
        <source>{kind} at {time}</source>
        <translation>{kind} {time}</translation>
    </message>
    <message>
        <source>Train… in the toolbar</source>
        <translation>도구 모음의 학습…</translation>
    </message>
</context>
<context>
    <name>ForecastSignals</name>
    <message>
        <source>The forecast cycle failed: {error}</source>
        <translation type="vanished">예측 주기 실패: {error}</translation>
    </message>
    <message>
        <source>The forecast cycle failed unexpectedly; the log file has the details.</source>
        <translation>예측 주기가 예기치 않게 실패했습니다. 자세한 내용은 로그 파일에 있습니다.</translation>
    </message>
    <message>
        <source>Retraining the forecast model of {channels} on fresh history (models are retrained every {every}).</source>
        <translation>최근 이력으로 {channels}의 예측 모델을 다시 학습합니다 (모델은 {every}마다 다시 학습됩니다).</translation>
    </message>
    <message>
        <source>Training of &apos;{channel}&apos; was cancelled; the previous model (if any) is kept.</source>
        <translation>&apos;{channel}&apos; 학습을 취소했습니다. 이전 모델(있다면)은 그대로 둡니다.</translation>
    </message>
    <message>
        <source>Training of &apos;{channel}&apos; failed unexpectedly; the log file has the details.</source>
        <translation>&apos;{channel}&apos; 학습이 예기치 않게 실패했습니다. 자세한 내용은 로그 파일에 있습니다.</translation>
    </message>
    <message>
        <source>Training of &apos;{channel}&apos; failed: {error}</source>
        <translation type="vanished">&apos;{channel}&apos; 학습 실패: {error}</translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <source>History could not be read just now; the plots try again in a moment.</source>
        <translation>지금은 이력을 읽을 수 없습니다. 그래프가 잠시 후 다시 시도합니다.</translation>
    </message>
</context>
<context>
    <name>KpiReport</name>
    <message>
        <source>Alarm report for {file}, {start} to {end} ({periods} ten-minute periods)</source>
        <translation>경보 보고서: {file}, {start} ~ {end} (10분 구간 {periods}개)</translation>
    </message>
    <message>
        <source>Alarms raised: {n}</source>
        <translation>발생한 경보: {n}</translation>
    </message>
    <message>
        <source>Per 10 minutes, average: {n} (EEMUA 191: about 1 is manageable)</source>
        <translation>10분당 평균: {n} (EEMUA 191: 1건 정도면 감당할 수 있음)</translation>
    </message>
    <message>
        <source>Per 10 minutes, peak: {n} (from {at})</source>
        <translation>10분당 최대: {n} ({at}부터)</translation>
    </message>
    <message>
        <source>Per 10 minutes, peak: {n}</source>
        <translation>10분당 최대: {n}</translation>
    </message>
    <message>
        <source>Periods in flood (over {limit} in 10 min): {n} of {periods} ({share} %; ISA-18.2: under 1 %)</source>
        <translation>경보 폭주 구간 (10분에 {limit}건 초과): {periods}개 중 {n}개 ({share} %, ISA-18.2 목표: 1 % 미만)</translation>
    </message>
    <message>
        <source>Chattering (3 or more within 60 s): {n}</source>
        <translation>채터링 (60초 안에 3회 이상): {n}</translation>
    </message>
    <message>
        <source>{alarm}: {n} within 60 s</source>
        <translation>{alarm}: 60초 안에 {n}회</translation>
    </message>
    <message>
        <source>Stale (active for over 24 h): {n}</source>
        <translation>장기 발생 (24시간 넘게 발생 중): {n}</translation>
    </message>
    <message>
        <source>{alarm}: active since {at}</source>
        <translation>{alarm}: {at}부터 발생 중</translation>
    </message>
    <message>
        <source>Share of the load from the 10 most frequent alarms: {share} %</source>
        <translation>가장 잦은 경보 10개가 차지하는 비율: {share} %</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <source>System language ({language})</source>
        <translation>시스템 언어 ({language})</translation>
    </message>
    <message>
        <source>The window speaks {language} from the next start of Watchkeeper. Restart now? Recording pauses for a few seconds; every reading received is saved.</source>
        <translation>Watchkeeper를 다음에 시작할 때부터 화면이 {language}(으)로 표시됩니다. 지금 다시 시작하시겠습니까? 기록이 몇 초 동안 멈추며, 받은 측정값은 모두 저장됩니다.</translation>
    </message>
    <message>
        <source>Restart now</source>
        <translation>지금 다시 시작</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>나중에</translation>
    </message>
</context>
<context>
    <name>LimitsDialog</name>
    <message>
        <source>Deadband</source>
        <translation>불감대</translation>
    </message>
    <message>
        <source>On-delay (s)</source>
        <translation>발생 지연 (s)</translation>
    </message>
    <message>
        <source>Off-delay (s)</source>
        <translation>해제 지연 (s)</translation>
    </message>
    <message>
        <source>Watchkeeper – Alarm limits</source>
        <translation>Watchkeeper – 경보 한계</translation>
    </message>
    <message>
        <source>HH/LL priority</source>
        <translation>HH/LL 우선순위</translation>
    </message>
    <message>
        <source>H/L priority</source>
        <translation>H/L 우선순위</translation>
    </message>
    <message>
        <source>Empty cells keep the defaults (deadband and delays by the channel&apos;s kind).</source>
        <translation>빈 칸은 기본값을 씁니다 (불감대와 지연은 채널 종류에 따름).</translation>
    </message>
    <message>
        <source>Save writes the limits to {path}.</source>
        <translation>저장하면 한계값이 {path}에 기록됩니다.</translation>
    </message>
    <message>
        <source>Not saved: {error}.</source>
        <translation>저장하지 않음: {error}.</translation>
    </message>
    <message>
        <source>the file is not valid TOML; correct it or move it away</source>
        <translation>파일의 TOML 문법이 올바르지 않습니다. 고치거나 다른 곳으로 옮기십시오</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>권한이 없습니다</translation>
    </message>
    <message>
        <source>the system refused ({reason})</source>
        <translation>시스템이 거부했습니다 ({reason})</translation>
    </message>
    <message>
        <source>Not saved: cannot write {path}: {error}.</source>
        <translation>저장하지 않음: {path}에 쓸 수 없습니다: {error}.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>10 min</source>
        <translation>10분</translation>
    </message>
    <message>
        <source>1 h</source>
        <translation>1시간</translation>
    </message>
    <message>
        <source>8 h</source>
        <translation>8시간</translation>
    </message>
    <message>
        <source>24 h</source>
        <translation>24시간</translation>
    </message>
    <message>
        <source>7 d</source>
        <translation>7일</translation>
    </message>
    <message>
        <source>30 d</source>
        <translation>30일</translation>
    </message>
    <message>
        <source>1 y</source>
        <translation>1년</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>기본</translation>
    </message>
    <message>
        <source>Connect…</source>
        <translation>연결…</translation>
    </message>
    <message>
        <source>Choose the port to record (Ctrl+K)</source>
        <translation>기록할 포트 선택 (Ctrl+K)</translation>
    </message>
    <message>
        <source>Following</source>
        <translation>실시간</translation>
    </message>
    <message>
        <source>Follow the newest readings; zooming or panning pauses (Space)</source>
        <translation>최신 측정값을 따라갑니다. 확대하거나 이동하면 멈춥니다 (Space)</translation>
    </message>
    <message>
        <source>Show the last {range}</source>
        <translation>최근 {range} 보기</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>채널</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV 내보내기…</translation>
    </message>
    <message>
        <source>Save the readings of the visible range as CSV</source>
        <translation>보이는 구간의 측정값을 CSV로 저장</translation>
    </message>
    <message>
        <source>Save image…</source>
        <translation>이미지 저장…</translation>
    </message>
    <message>
        <source>Save the plots as a PNG image</source>
        <translation>그래프를 PNG 이미지로 저장</translation>
    </message>
    <message>
        <source>Predict now</source>
        <translation>지금 예측</translation>
    </message>
    <message>
        <source>Run a forecast cycle now and write Prediction.csv</source>
        <translation>지금 예측 주기를 실행하고 Prediction.csv를 씁니다</translation>
    </message>
    <message>
        <source>Train…</source>
        <translation>학습…</translation>
    </message>
    <message>
        <source>Train forecast models from the recorded history</source>
        <translation>기록된 이력으로 예측 모델 학습</translation>
    </message>
    <message>
        <source>Past forecasts</source>
        <translation>지난 예측</translation>
    </message>
    <message>
        <source>Show earlier forecasts next to what actually happened</source>
        <translation>지난 예측을 실제 값과 나란히 표시</translation>
    </message>
    <message>
        <source>Limits…</source>
        <translation>한계…</translation>
    </message>
    <message>
        <source>Edit alarm limits, deadbands, delays and priorities per channel</source>
        <translation>채널별 경보 한계, 불감대, 지연, 우선순위 편집</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>경보음 끄기</translation>
    </message>
    <message>
        <source>Silence the sound of new high and critical alarms</source>
        <translation>새 높음·긴급 경보의 소리를 끕니다</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>옵션</translation>
    </message>
    <message>
        <source>Start recording at logon</source>
        <translation>로그온할 때 기록 시작</translation>
    </message>
    <message>
        <source>Open Watchkeeper at every logon of this user; it resumes recording the last port</source>
        <translation>이 사용자가 로그온할 때마다 Watchkeeper를 열고 마지막 포트 기록을 이어갑니다</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>경보</translation>
    </message>
    <message>
        <source>Show or hide the alarm list (Ctrl+L shows it)</source>
        <translation>경보 목록 표시/숨기기 (Ctrl+L로 표시)</translation>
    </message>
    <message>
        <source>Show the alarm list</source>
        <translation>경보 목록 표시</translation>
    </message>
    <message>
        <source>Bus</source>
        <translation>버스</translation>
    </message>
    <message>
        <source>Show or hide the diagnostics of each slave on a Modbus bus</source>
        <translation>Modbus 버스의 슬레이브별 진단 표시/숨기기</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <source>Not recording</source>
        <translation>기록 안 함</translation>
    </message>
    <message>
        <source>Watchkeeper starts at logon and resumes recording.</source>
        <translation>Watchkeeper가 로그온할 때 시작되어 기록을 이어갑니다.</translation>
    </message>
    <message>
        <source>Watchkeeper no longer starts at logon.</source>
        <translation>Watchkeeper가 더 이상 로그온할 때 시작되지 않습니다.</translation>
    </message>
</context>
<context>
    <name>ModbusPanel</name>
    <message>
        <source>Open a register map file…</source>
        <translation>레지스터 맵 파일 열기…</translation>
    </message>
    <message>
        <source>Read the whole map</source>
        <translation>맵 전체 읽기</translation>
    </message>
    <message>
        <source>Read every point of the register map once, slave by slave</source>
        <translation>레지스터 맵의 모든 포인트를 슬레이브별로 한 번 읽습니다</translation>
    </message>
    <message>
        <source>Scan the bus</source>
        <translation>버스 스캔</translation>
    </message>
    <message>
        <source>Ask every unit id for one register and list those that answer</source>
        <translation>모든 유닛 ID에 레지스터 하나를 요청하고 응답한 유닛을 나열합니다</translation>
    </message>
    <message>
        <source>0-based (3, 0x03E8) or the 30001/40001 notation</source>
        <translation>0부터 시작하는 주소 (3, 0x03E8) 또는 30001/40001 표기</translation>
    </message>
    <message>
        <source>from the address</source>
        <translation>주소에 따름</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>자동</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>읽기</translation>
    </message>
    <message>
        <source>Frames sent (TX) and received (RX) appear here, in hex, with times.</source>
        <translation>보낸 프레임(TX)과 받은 프레임(RX)이 시각과 함께 16진수로 여기에 표시됩니다.</translation>
    </message>
    <message>
        <source>Register map:</source>
        <translation>레지스터 맵:</translation>
    </message>
    <message>
        <source>Unit ids</source>
        <translation>유닛 ID</translation>
    </message>
    <message>
        <source>Scan:</source>
        <translation>스캔:</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>유닛</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>주소</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>테이블</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>형식</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>워드 순서</translation>
    </message>
    <message>
        <source>Read:</source>
        <translation>읽기:</translation>
    </message>
    <message>
        <source>Frames:</source>
        <translation>프레임:</translation>
    </message>
    <message>
        <source>Open a register map</source>
        <translation>레지스터 맵 열기</translation>
    </message>
    <message>
        <source>Watchkeeper configuration (*.toml);;All files (*)</source>
        <translation>Watchkeeper 설정 (*.toml);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>No unit id of {units} answered.</source>
        <translation>유닛 ID {units} 중 응답한 유닛이 없습니다.</translation>
    </message>
    <message>
        <source>Found: {units}.</source>
        <translation>찾음: {units}.</translation>
    </message>
    <message>
        <source>Scanning {n} unit ids…</source>
        <translation>유닛 ID {n}개 스캔 중…</translation>
    </message>
    <message>
        <source>Unit {unit}, address {address}: {values}</source>
        <translation>유닛 {unit}, 주소 {address}: {values}</translation>
    </message>
    <message>
        <source>Reading unit {unit}…</source>
        <translation>유닛 {unit} 읽는 중…</translation>
    </message>
    <message>
        <source>Choose a register map first.</source>
        <translation>먼저 레지스터 맵을 고르십시오.</translation>
    </message>
    <message>
        <source>Unit {unit} ({name}): {values}</source>
        <translation>유닛 {unit} ({name}): {values}</translation>
    </message>
    <message>
        <source>No slave of the register map answered.</source>
        <translation>레지스터 맵의 슬레이브가 하나도 응답하지 않았습니다.</translation>
    </message>
    <message>
        <source>Reading every point of the register map once…</source>
        <translation>레지스터 맵의 모든 포인트를 한 번 읽는 중…</translation>
    </message>
    <message>
        <source>The request failed unexpectedly; the log has the details.</source>
        <translation>요청이 예기치 않게 실패했습니다. 자세한 내용은 로그에 있습니다.</translation>
    </message>
</context>
<context>
    <name>PlotStack</name>
    <message>
        <source>Waiting for readings…</source>
        <translation>측정값을 기다리는 중…</translation>
    </message>
    <message>
        <source>All channels are hidden.</source>
        <translation>모든 채널이 숨겨져 있습니다.</translation>
    </message>
</context>
<context>
    <name>PortDialog</name>
    <message>
        <source>None</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>Even</source>
        <translation>짝수</translation>
    </message>
    <message>
        <source>Odd</source>
        <translation>홀수</translation>
    </message>
    <message>
        <source>Mark</source>
        <translation>마크</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>스페이스</translation>
    </message>
    <message>
        <source>Auto-detect</source>
        <translation>자동 감지</translation>
    </message>
    <message>
        <source>CSV / numbers</source>
        <translation>CSV / 숫자</translation>
    </message>
    <message>
        <source>key=value</source>
        <translation>key=value</translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>Lines the device sends by itself (ASCII)</source>
        <translation>장치가 스스로 보내는 줄 (ASCII)</translation>
    </message>
    <message>
        <source>Modbus RTU (serial port)</source>
        <translation>Modbus RTU (직렬 포트)</translation>
    </message>
    <message>
        <source>Modbus TCP (gateway or device)</source>
        <translation>Modbus TCP (게이트웨이 또는 장치)</translation>
    </message>
    <message>
        <source>Modbus RTU through a TCP socket</source>
        <translation>TCP 소켓을 통한 Modbus RTU</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>포트</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>설명</translation>
    </message>
    <message>
        <source>Manufacturer</source>
        <translation>제조사</translation>
    </message>
    <message>
        <source>Serial number</source>
        <translation>일련번호</translation>
    </message>
    <message>
        <source>Watchkeeper – Connect to a device</source>
        <translation>Watchkeeper – 장치 연결</translation>
    </message>
    <message>
        <source>Use the simulated device</source>
        <translation>모의 장치 사용</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>테스트</translation>
    </message>
    <message>
        <source>Open the port for a few seconds and show what arrives</source>
        <translation>포트를 몇 초 동안 열고 들어오는 데이터를 보여 줍니다</translation>
    </message>
    <message>
        <source>Raw lines appear here during a test.</source>
        <translation>테스트 중에 받은 원시 줄이 여기에 표시됩니다.</translation>
    </message>
    <message>
        <source>Protocol:</source>
        <translation>프로토콜:</translation>
    </message>
    <message>
        <source>Port or address:</source>
        <translation>포트 또는 주소:</translation>
    </message>
    <message>
        <source>Baud</source>
        <translation>보레이트</translation>
    </message>
    <message>
        <source>Parity</source>
        <translation>패리티</translation>
    </message>
    <message>
        <source>Stop bits</source>
        <translation>정지 비트</translation>
    </message>
    <message>
        <source>Data bits</source>
        <translation>데이터 비트</translation>
    </message>
    <message>
        <source>Serial settings:</source>
        <translation>직렬 설정:</translation>
    </message>
    <message>
        <source>Line format:</source>
        <translation>줄 형식:</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>연결</translation>
    </message>
    <message>
        <source>Serial ports on this PC (the list follows adapters as they are plugged in and out):</source>
        <translation>이 PC의 직렬 포트 (어댑터를 꽂거나 뽑으면 목록이 바로 바뀝니다):</translation>
    </message>
    <message>
        <source>192.0.2.10:502 (the gateway&apos;s address and port)</source>
        <translation>192.0.2.10:502 (게이트웨이 주소와 포트)</translation>
    </message>
    <message>
        <source>The baud rate must be a positive whole number, not {text}.</source>
        <translation>보레이트는 양의 정수여야 합니다 ({text}은(는) 쓸 수 없음).</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>빈 값</translation>
    </message>
    <message>
        <source>Choose a port from the list or type one.</source>
        <translation>목록에서 포트를 고르거나 직접 입력하십시오.</translation>
    </message>
    <message>
        <source>Choose a register map: it says which registers of which slaves to read.</source>
        <translation>레지스터 맵을 고르십시오. 어느 슬레이브의 어느 레지스터를 읽을지 정합니다.</translation>
    </message>
    <message>
        <source>Listening on {port} for {seconds} s…</source>
        <translation>{port}에서 {seconds}초 동안 수신 중…</translation>
    </message>
    <message>
        <source>The test failed unexpectedly; the log has the details.</source>
        <translation>테스트가 예기치 않게 실패했습니다. 자세한 내용은 로그에 있습니다.</translation>
    </message>
    <message>
        <source>Channels: </source>
        <translation>채널: </translation>
    </message>
</context>
<context>
    <name>Recorder</name>
    <message>
        <source>The register map cannot be used: {error}.</source>
        <translation>레지스터 맵을 쓸 수 없습니다: {error}.</translation>
    </message>
    <message>
        <source>choose a register map in the port dialog, or add [modbus] to the configuration</source>
        <translation>포트 대화 상자에서 레지스터 맵을 고르거나 설정 파일에 [modbus]를 추가하십시오</translation>
    </message>
</context>
<context>
    <name>RegisterMap</name>
    <message>
        <source>Autonics TK series PID temperature controller (TK4S/TK4M/TK4H/TK4W/TK4L with RS485)</source>
        <translation>오토닉스 TK 시리즈 PID 온도 조절기 (RS485 지원 TK4S/TK4M/TK4H/TK4W/TK4L)</translation>
    </message>
    <message>
        <source>Eastron SDM energy meter (SDM120 / SDM230 / SDM630 Modbus)</source>
        <translation>Eastron SDM 전력량계 (SDM120 / SDM230 / SDM630 Modbus)</translation>
    </message>
    <message>
        <source>Example register map, every key explained (a boiler meter and a room sensor)</source>
        <translation>레지스터 맵 예제, 모든 키 설명 포함 (보일러 계측기와 실내 센서)</translation>
    </message>
    <message>
        <source>The simulated bus of &apos;watchkeeper modbus simulate&apos; (three slaves, no hardware needed)</source>
        <translation>&apos;watchkeeper modbus simulate&apos;의 모의 버스 (슬레이브 3대, 하드웨어 불필요)</translation>
    </message>
    <message>
        <source>XY-MD02 temperature and humidity transmitter (SHT20 sensor, RS485 Modbus RTU)</source>
        <translation>XY-MD02 온습도 전송기 (SHT20 센서, RS485 Modbus RTU)</translation>
    </message>
</context>
<context>
    <name>StatusView</name>
    <message>
        <source>{rate} readings/s</source>
        <translation>초당 측정값 {rate}개</translation>
    </message>
    <message>
        <source>rejected lines: {n}</source>
        <translation>거부된 줄: {n}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>last reading {age} s ago</source>
        <translation>마지막 측정값 {age}초 전</translation>
    </message>
    <message>
        <source>({n} readings dropped)</source>
        <translation>(측정값 {n}개 유실)</translation>
    </message>
    <message>
        <source>Forwarding {up}/{n} connected</source>
        <translation>전송 {up}/{n} 연결됨</translation>
    </message>
    <message>
        <source>, backlog {n}</source>
        <translation>, 미전송 {n}건</translation>
    </message>
    <message>
        <source>Connection to {port} lost — reconnecting automatically. Check the cable, the adapter or the gateway. Readings received so far are saved.</source>
        <translation>{port} 통신 두절 — 자동으로 다시 연결하는 중입니다. 케이블, 어댑터 또는 게이트웨이를 점검하십시오. 지금까지 받은 측정값은 저장되어 있습니다.</translation>
    </message>
    <message>
        <source>Not recording</source>
        <translation>기록 안 함</translation>
    </message>
    <message>
        <source>Not recording: {error}</source>
        <translation>기록 안 함: {error}</translation>
    </message>
    <message>
        <source>{error}. Readings are kept in memory and written as soon as the file can be written.</source>
        <translation>{error}. 측정값은 메모리에 보관했다가 파일에 쓸 수 있게 되는 즉시 기록합니다.</translation>
    </message>
</context>
<context>
    <name>TrainDialog</name>
    <message>
        <source>Watchkeeper – Train forecast models</source>
        <translation>Watchkeeper – 예측 모델 학습</translation>
    </message>
    <message>
        <source>Interval (one step):</source>
        <translation>간격 (한 단계):</translation>
    </message>
    <message>
        <source>Lookback (steps the model sees):</source>
        <translation>입력 길이 (모델이 보는 단계 수):</translation>
    </message>
    <message>
        <source>Horizon (steps forecast):</source>
        <translation>예측 길이 (예측하는 단계 수):</translation>
    </message>
    <message>
        <source>Epochs at most:</source>
        <translation>최대 에포크:</translation>
    </message>
    <message>
        <source>%v of %m epochs</source>
        <translation>에포크 %v / %m</translation>
    </message>
    <message>
        <source>Choose the channels and press Train.</source>
        <translation>채널을 고르고 학습을 누르십시오.</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>Cancel training</source>
        <translation>학습 취소</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <source>Channels:</source>
        <translation>채널:</translation>
    </message>
    <message>
        <source>Choose at least one channel.</source>
        <translation>채널을 하나 이상 고르십시오.</translation>
    </message>
    <message>
        <source>These settings cannot be used with the [forecast] configuration; the log has the details.</source>
        <translation>이 설정은 [forecast] 설정과 함께 쓸 수 없습니다. 자세한 내용은 로그에 있습니다.</translation>
    </message>
    <message>
        <source>&apos;{channel}&apos; (channel {n} of {count})</source>
        <translation>&apos;{channel}&apos; (채널 {n}/{count})</translation>
    </message>
    <message>
        <source>Training {channel}: loading TensorFlow…</source>
        <translation>{channel} 학습 중: TensorFlow 불러오는 중…</translation>
    </message>
    <message>
        <source>Training {channel}: epoch {epoch}, loss {loss}, validation loss {val}</source>
        <translation>{channel} 학습 중: 에포크 {epoch}, 손실 {loss}, 검증 손실 {val}</translation>
    </message>
    <message>
        <source>Trained &apos;{channel}&apos; ({interval}, lookback {lookback}, horizon {horizon}) on {start} to {end} UTC ({steps} steps) in {seconds} s, {epochs} epochs (best {best}).</source>
        <translation>&apos;{channel}&apos; 학습 완료 ({interval}, 입력 길이 {lookback}, 예측 길이 {horizon}): {start} ~ {end} UTC ({steps}단계), {seconds}초, 에포크 {epochs}회 (최적 {best}회차).</translation>
    </message>
    <message>
        <source>Validation on {n} windows (MAE / RMSE):</source>
        <translation>검증 구간 {n}개 (MAE / RMSE):</translation>
    </message>
    <message>
        <source>model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>repeating the last value</source>
        <translation>마지막 값 반복(지속 예측)</translation>
    </message>
    <message>
        <source>the same time one season before</source>
        <translation>한 주기 전 같은 시각(계절 예측)</translation>
    </message>
    <message>
        <source>Skill against repeating the last value: {skill} (above 0 is better).</source>
        <translation>지속 예측 대비 기량: {skill} (0보다 크면 더 나음).</translation>
    </message>
    <message>
        <source>Saved to {path}</source>
        <translation>저장 위치: {path}</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>완료.</translation>
    </message>
</context>
</TS>
