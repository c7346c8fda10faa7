/*
 * classify_table.h: the generated bot rows of the User-Agent table, included
 * by redirector/classify.c after its hand-written rows (which win). Do not
 * edit: change tools/ua-patterns.py and run
 *     python3 tools/ua-patterns.py
 * Sources (npm, pinned in the script): CUA = crawler-user-agents@1.60.0
 * (monperrus/crawler-user-agents), ISB = isbot@5.2.4 (omrilotan/isbot), MAT =
 * node-device-detector@2.2.7 (matomo-org/device-detector's bots.yml). Each row's comment
 * quotes the first expression it came from. Widenings:
 * - case: every row ignores ASCII case (crawler-user-agents' expressions are
 *   case-sensitive; isbot's and Matomo's are not);
 * - Matomo: its parser puts (?:^|[^A-Z0-9_-]|[^A-Z0-9-]+_) before each
 *   expression, a start-of-word rule the matcher has no kind for: the rows
 *   match anywhere;
 * - \b at the end becomes "word" (not followed by a letter or digit), which
 *   also matches before "_".
 * 14 of isbot's expressions are shapes that classify.c has by hand.
 * 1571 rows; 13 expressions dropped (listed at the end), 54 rows decided by a
 * hand-written row, 883 covered by a shorter row, 7 denied (see DENY).
 */
	{ " daum ", MATCH_SUB, B, ISB },	/*  daum[ /] */
	{ " hlb", MATCH_SUB, B, MAT },	/* .* HLB */
	{ " ort/", MATCH_SUB, B, ISB },	/* \bort/ */
	{ " sentry/", MATCH_SUB, B, CUA },	/* (^| )sentry\/ */
	{ "()", MATCH_SUB, B, ISB },	/* \(\) */
	{ "(compatible)", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "-ai/", MATCH_SUB, B, MAT },	/* (generic) -ai/ */
	{ "-extended/", MATCH_SUB, B, MAT },	/* (generic) -extended/ */
	{ "-lighthouse", MATCH_SUB, B, CUA | ISB | MAT },	/* Chrome-Lighthouse */
	{ "-user/", MATCH_SUB, B, ISB | MAT },	/* -user/ */
	{ ".com", MATCH_WORD, B, CUA | ISB | MAT },	/* wmtips\.com\/ */
	{ ".oast.", MATCH_SUB, B, MAT },	/* .*\.oast\. */
	{ "008/", MATCH_SUB, B, CUA },	/* 008\/ */
	{ "0xabyssaldoesntexist", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "1001firmsbot", MATCH_SUB, B, MAT },	/* 1001FirmsBot */
	{ "24x7", MATCH_SUB, B, CUA | ISB | MAT },	/* Site24x7 */
	{ "2gdpr", MATCH_SUB, B, MAT },	/* 2GDPR */
	{ "2ip bot", MATCH_SUB, B, CUA | MAT },	/* 2ip bot */
	{ "2ip.ru", MATCH_SUB, B, CUA },	/* 2ip\.ru */
	{ "360jk yunjiankong", MATCH_SUB, B, MAT },	/* 360JK yunjiankong */
	{ "7siters", MATCH_SUB, B, CUA | MAT },	/* 7Siters */
	{ "a360-search", MATCH_SUB, B, CUA },	/* A360-Search */
	{ "a6-indexer", MATCH_SUB, B, CUA },	/* A6-Indexer */
	{ "aasa-bot", MATCH_SUB, B, CUA },	/* AASA-Bot */
	{ "abcd", MATCH_EXACT, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "abevalbot", MATCH_SUB, B, CUA | MAT },	/* ABEvalBot */
	{ "abonti", MATCH_SUB, B, MAT },	/* Abonti */
	{ "aboundex", MATCH_SUB, B, CUA | MAT },	/* Aboundex */
	{ "abuse", MATCH_SUB, B, CUA | ISB | MAT },	/* abuse\.xmco\.fr */
	{ "academicbotrtu", MATCH_SUB, B, CUA },	/* AcademicBotRTU */
	{ "acapbot", MATCH_SUB, B, CUA },	/* acapbot */
	{ "accessible web bot", MATCH_SUB, B, CUA },	/* Accessible Web Bot */
	{ "accessiblewebbot", MATCH_SUB, B, MAT },	/* AccessibleWebBot */
	{ "accessstatus", MATCH_SUB, B, CUA },	/* AccessStatus */
	{ "accompanybot", MATCH_SUB, B, MAT },	/* AccompanyBot */
	{ "acme.sectigo.com", MATCH_SUB, B, MAT },	/* Sectigo DCV|acme\.sectigo\.com */
	{ "acoonbot", MATCH_SUB, B, CUA | MAT },	/* acoonbot */
	{ "active", MATCH_PREFIX, B, ISB },	/* ^active */
	{ "activecomply", MATCH_SUB, B, CUA },	/* ActiveComply */
	{ "acunetix", MATCH_SUB, B, CUA },	/* [aA]cunetix */
	{ "ad muncher", MATCH_PREFIX, B, ISB },	/* ^ad muncher */
	{ "adauth", MATCH_SUB, B, MAT },	/* AdAuth */
	{ "adbeat", MATCH_SUB, B, CUA | MAT },	/* adbeat\.com */
	{ "addsearchbot", MATCH_SUB, B, CUA | MAT },	/* AddSearchBot */
	{ "addthis", MATCH_SUB, B, CUA | MAT },	/* AddThis */
	{ "adidxbot", MATCH_SUB, B, CUA | MAT },	/* Adidxbot */
	{ "admantx", MATCH_SUB, B, CUA | MAT },	/* ADmantX */
	{ "adminlabs", MATCH_SUB, B, CUA },	/* AdminLabs */
	{ "adreview", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "adsbot", MATCH_SUB, B, CUA | MAT },	/* BaiduAdsBot */
	{ "adstxtlab.com", MATCH_SUB, B, MAT },	/* adstxtlab\.com */
	{ "adventurer", MATCH_SUB, B, CUA },	/* Adventurer */
	{ "advisor", MATCH_SUB, B, CUA | ISB | MAT },	/* eMoney Advisor */
	{ "adwords-displayads", MATCH_SUB, B, MAT },	/* Adwords-(?:DisplayAds|Express|Instant)|Google Web Preview... */
	{ "adwords-express", MATCH_SUB, B, MAT },	/* Adwords-(?:DisplayAds|Express|Instant)|Google Web Preview... */
	{ "adwords-instant", MATCH_SUB, B, MAT },	/* Adwords-(?:DisplayAds|Express|Instant)|Google Web Preview... */
	{ "afb", MATCH_SUB, B, MAT },	/* AFB */
	{ "affiliatespybot", MATCH_SUB, B, MAT },	/* AffiliateSpyBot */
	{ "agakidsbot", MATCH_SUB, B, CUA },	/* AGAKIDSBOT */
	{ "agencyanalyticsbot", MATCH_SUB, B, CUA },	/* AgencyAnalyticsBot */
	{ "agent", MATCH_WORD, B, CUA | ISB | MAT },	/* GoogleAgent-Mariner */
	{ "ahc/", MATCH_SUB, B, CUA | MAT },	/* AHC\/ */
	{ "ahrefsbot", MATCH_SUB, B, CUA | MAT },	/* Ahrefs(Bot|SiteAudit) */
	{ "ai2bot", MATCH_SUB, B, CUA | MAT },	/* AI2Bot */
	{ "aihitbot", MATCH_SUB, B, CUA | MAT },	/* aiHitBot */
	{ "aiohttp", MATCH_SUB, B, CUA },	/* aiohttp */
	{ "aisearchbot", MATCH_SUB, B, CUA },	/* AISearchBot */
	{ "akismetbot", MATCH_SUB, B, CUA },	/* AkismetBot */
	{ "alertsite", MATCH_SUB, B, CUA },	/* AlertSite */
	{ "alexandriaorgbot", MATCH_SUB, B, CUA },	/* AlexandriaOrgBot */
	{ "alienfarm", MATCH_SUB, B, CUA },	/* alienfarm */
	{ "alittle client", MATCH_SUB, B, CUA | MAT },	/* ALittle Client */
	{ "aliyunsecbot", MATCH_SUB, B, CUA | MAT },	/* AliyunSecBot */
	{ "allafrica", MATCH_SUB, B, CUA },	/* AllAfrica */
	{ "allorigins", MATCH_SUB, B, CUA },	/* allOrigins */
	{ "alphabot", MATCH_SUB, B, CUA },	/* AlphaBot */
	{ "altavista", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "amaya", MATCH_PREFIX, B, ISB },	/* ^amaya */
	{ "amazing-searchbot", MATCH_SUB, B, CUA },	/* Amazing-SearchBot */
	{ "amazon cloudfront", MATCH_SUB, B, CUA },	/* Amazon CloudFront */
	{ "amazon-bedrock-agentcore-browser", MATCH_SUB, B, CUA },	/* Amazon-Bedrock-AgentCore-Browser */
	{ "amazon-kendra", MATCH_SUB, B, MAT },	/* amazon-kendra */
	{ "amazonadbot", MATCH_SUB, B, CUA | MAT },	/* AmazonAdBot */
	{ "amazonbot", MATCH_SUB, B, CUA | MAT },	/* Amazonbot */
	{ "amazonbuyforme", MATCH_SUB, B, CUA | MAT },	/* AmazonBuyForMe */
	{ "amazonsellerinitiatedlisting", MATCH_SUB, B, CUA },	/* AmazonSellerInitiatedListing */
	{ "amzn-searchbot", MATCH_SUB, B, CUA | MAT },	/* Amzn-SearchBot */
	{ "amzn-user", MATCH_SUB, B, CUA | MAT },	/* Amzn-User */
	{ "analyzer", MATCH_SUB, B, CUA | ISB | MAT },	/* RetrevoPageAnalyzer */
	{ "anarchy99", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "anchor browser", MATCH_SUB, B, CUA },	/* Anchor Browser */
	{ "anderspinkbot", MATCH_SUB, B, CUA },	/* AndersPinkBot */
	{ "andibot", MATCH_SUB, B, MAT },	/* Andibot */
	{ "anomura", MATCH_SUB, B, CUA },	/* Anomura */
	{ "antbot", MATCH_SUB, B, MAT },	/* Ant(?:\.com beta|Bot) */
	{ "anthropic-ai", MATCH_SUB, B, CUA | MAT },	/* anthropic-ai */
	{ "anthropic-claude", MATCH_SUB, B, MAT },	/* ClaudeBot|Anthropic-Claude */
	{ "antibot", MATCH_SUB, B, CUA },	/* antibot */
	{ "antoine", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "anyevent", MATCH_SUB, B, CUA },	/* AnyEvent */
	{ "apache-httpclient", MATCH_PREFIX, B, CUA },	/* ^Apache-HttpClient */
	{ "apache/", MATCH_SUB, B, ISB | MAT },	/* ^apache/ */
	{ "apachebench", MATCH_SUB, B, MAT },	/* ApacheBench */
	{ "apercite", MATCH_SUB, B, CUA },	/* Apercite */
	{ "apifybot", MATCH_SUB, B, CUA },	/* ApifyBot */
	{ "apis-google", MATCH_SUB, B, CUA | MAT },	/* APIs-Google */
	{ "appengine", MATCH_WORD, B, CUA | MAT },	/* AppEngine-Google */
	{ "applebot", MATCH_SUB, B, CUA | MAT },	/* Applebot */
	{ "appsignalbot", MATCH_SUB, B, MAT },	/* AppSignalBot */
	{ "appsiteassociation", MATCH_SUB, B, CUA },	/* AppSiteAssociation */
	{ "arabot", MATCH_SUB, B, CUA },	/* arabot */
	{ "arachni", MATCH_SUB, B, MAT },	/* Arachni */
	{ "aragog/", MATCH_SUB, B, CUA },	/* Aragog\/ */
	{ "aranea", MATCH_SUB, B, CUA },	/* Aranea */
	{ "aranet-searchbot", MATCH_SUB, B, CUA },	/* Aranet-SearchBot */
	{ "archive", MATCH_SUB, B, CUA | ISB | MAT },	/* Archive-It */
	{ "artemis web reader", MATCH_SUB, B, CUA },	/* artemis web reader */
	{ "artemisbot", MATCH_SUB, B, CUA },	/* ArtemisBot */
	{ "asana", MATCH_SUB, B, CUA | MAT },	/* Asana\/ */
	{ "asnriskscorer", MATCH_SUB, B, CUA },	/* asnriskscorer */
	{ "aspiegelbot", MATCH_SUB, B, CUA | MAT },	/* AspiegelBot */
	{ "assetnote", MATCH_SUB, B, MAT },	/* Assetnote */
	{ "atlassian-bot", MATCH_SUB, B, CUA },	/* atlassian-bot */
	{ "attracta", MATCH_SUB, B, CUA | ISB },	/* Attracta */
	{ "atvowbot", MATCH_SUB, B, CUA },	/* AtVowBot */
	{ "audigentadbot", MATCH_SUB, B, CUA },	/* AudigentAdBot */
	{ "audit", MATCH_SUB, B, CUA | ISB | MAT },	/* RSiteAuditor */
	{ "authory", MATCH_SUB, B, CUA },	/* Authory */
	{ "autoconfig test from ustc", MATCH_SUB, B, CUA },	/* Autoconfig Test from USTC */
	{ "automaton", MATCH_SUB, B, CUA },	/* Automaton|Newsify Feed Fetcher */
	{ "avsdevicesdk/", MATCH_PREFIX, B, ISB },	/* ^avsdevicesdk/ */
	{ "aw-wb-filter", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "awariorendererbot", MATCH_SUB, B, CUA },	/* AwarioRendererBot */
	{ "awariorssbot", MATCH_SUB, B, CUA | MAT },	/* AwarioRssBot */
	{ "awariosmartbot", MATCH_SUB, B, CUA | MAT },	/* AwarioSmartBot */
	{ "axios", MATCH_SUB, B, CUA },	/* axios */
	{ "azure", MATCH_PREFIX, B, ISB },	/* ^azure */
	{ "azureai-searchbot", MATCH_SUB, B, CUA },	/* AzureAI-SearchBot */
	{ "b2b bot", MATCH_SUB, B, CUA },	/* B2B Bot */
	{ "b3astmode", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "backlinksextendedbot", MATCH_SUB, B, MAT },	/* BacklinksExtendedBot */
	{ "backupland", MATCH_SUB, B, MAT },	/* BackupLand */
	{ "baidu-yunguance", MATCH_SUB, B, CUA | MAT },	/* Baidu-YunGuanCe */
	{ "bang2013", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "bard-ai", MATCH_SUB, B, MAT },	/* Bard-AI */
	{ "barracuda sentinel", MATCH_SUB, B, MAT },	/* Barracuda Sentinel */
	{ "bazqux", MATCH_SUB, B, CUA | MAT },	/* BazQux */
	{ "bbc.co.uk/display/men/page+monitor", MATCH_SUB, B, MAT },	/* bbc\.co\.uk/display/men/Page\+Monitor */
	{ "bdcbot", MATCH_SUB, B, CUA | MAT },	/* BDCbot */
	{ "bdfetch", MATCH_SUB, B, CUA | MAT },	/* BDFetch */
	{ "beeperbot", MATCH_SUB, B, CUA },	/* BeeperBot */
	{ "behloolbot", MATCH_SUB, B, CUA },	/* BehloolBot */
	{ "bestchange", MATCH_SUB, B, CUA },	/* BestChange */
	{ "betabot", MATCH_SUB, B, CUA },	/* betaBot */
	{ "betteruptimebot", MATCH_SUB, B, CUA },	/* BetterUptimeBot */
	{ "bidswitchbot", MATCH_SUB, B, CUA },	/* bidswitchbot */
	{ "bidtellect", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "biglotron", MATCH_SUB, B, CUA | ISB },	/* BIGLOTRON */
	{ "bigsur.ai", MATCH_SUB, B, CUA | MAT },	/* bigsur\.ai */
	{ "bigupdatabot", MATCH_SUB, B, CUA },	/* BigUpDataBot */
	{ "binarycanary", MATCH_SUB, B, CUA },	/* BinaryCanary */
	{ "bingbot", MATCH_SUB, B, CUA | MAT },	/* bingbot */
	{ "binlar", MATCH_SUB, B, CUA },	/* binlar */
	{ "bitbot", MATCH_SUB, B, CUA },	/* BitBot */
	{ "bitlybot", MATCH_SUB, B, CUA | MAT },	/* bitlybot */
	{ "bitsightbot", MATCH_SUB, B, MAT },	/* BitSightBot */
	{ "bl.uk_lddc_bot", MATCH_SUB, B, CUA },	/* bl\.uk_lddc_bot */
	{ "bl.uk_ldfc_bot", MATCH_SUB, B, CUA | MAT },	/* bl\.uk_ldfc_bot */
	{ "blackboard", MATCH_SUB, B, CUA | MAT },	/* Blackboard */
	{ "blackbox exporter", MATCH_SUB, B, CUA | ISB | MAT },	/* Blackbox Exporter\/ */
	{ "blackduck-fd", MATCH_SUB, B, CUA },	/* BlackDuck-FD */
	{ "blexbot", MATCH_SUB, B, MAT },	/* BLEXBot */
	{ "bling erp", MATCH_SUB, B, CUA },	/* Bling ERP */
	{ "blingerp", MATCH_SUB, B, CUA },	/* BlingERP */
	{ "blockaid", MATCH_SUB, B, CUA },	/* Blockaid */
	{ "bloglines", MATCH_SUB, B, CUA | MAT },	/* Bloglines */
	{ "bloglovin", MATCH_SUB, B, MAT },	/* Bloglovin */
	{ "blogmurabot", MATCH_SUB, B, CUA },	/* blogmuraBot */
	{ "blogtraffic/", MATCH_SUB, B, CUA },	/* BlogTraffic\/\d\.\d+ Feed-Fetcher */
	{ "blogtrottr", MATCH_SUB, B, CUA | MAT },	/* Blogtrottr */
	{ "blogvault", MATCH_SUB, B, CUA },	/* BlogVault */
	{ "blp_bbot", MATCH_SUB, B, CUA },	/* BLP_bbot */
	{ "bluecoat drtr", MATCH_SUB, B, ISB },	/* bluecoat drtr */
	{ "bluesky", MATCH_SUB, B, CUA | MAT },	/* Dazzle BlueSky Bot */
	{ "bne.es_bot", MATCH_SUB, B, CUA },	/* bne\.es_bot */
	{ "bnf.fr_bot", MATCH_SUB, B, CUA },	/* bnf\.fr_bot */
	{ "bnfbot", MATCH_SUB, B, CUA },	/* BnFBot */
	{ "boardgamepricesbot", MATCH_SUB, B, CUA },	/* BoardGamePricesBot */
	{ "boardreader blog indexer", MATCH_SUB, B, MAT },	/* BoardReader Blog Indexer */
	{ "boardreader favicon fetcher", MATCH_SUB, B, MAT },	/* BoardReader Favicon Fetcher */
	{ "bomborabot", MATCH_SUB, B, CUA },	/* BomboraBot */
	{ "borg", MATCH_SUB, B, CUA | MAT },	/* ZyBorg */
	{ "bot", MATCH_PREFIX, B, ISB },	/* ^bot */
	{ "bot", MATCH_WORD, B, CUA | ISB | MAT },	/* dbot\) */
	{ "botify", MATCH_SUB, B, CUA | MAT },	/* botify */
	{ "botpoke", MATCH_SUB, B, CUA | MAT },	/* BotPoke */
	{ "bots", MATCH_WORD, B, ISB | MAT },	/* (?<! cu)bots?(?:\b|_) */
	{ "bountiibot", MATCH_SUB, B, MAT },	/* BountiiBot */
	{ "boxcarbot", MATCH_SUB, B, CUA },	/* BoxcarBot */
	{ "brandonbot", MATCH_SUB, B, CUA },	/* BrandONbot */
	{ "brandverity", MATCH_SUB, B, CUA | MAT },	/* BrandVerity */
	{ "brandwatch", MATCH_SUB, B, CUA },	/* Brandwatch */
	{ "bravebot", MATCH_SUB, B, CUA | MAT },	/* BraveBot */
	{ "brightbot", MATCH_SUB, B, CUA | MAT },	/* Brightbot */
	{ "browsermob", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "browsershots", MATCH_SUB, B, MAT },	/* Browsershots */
	{ "browsex", MATCH_SUB, B, ISB },	/* browsex */
	{ "btwebclient", MATCH_SUB, B, CUA },	/* BTWebClient */
	{ "bubing", MATCH_SUB, B, CUA | MAT },	/* BUbiNG */
	{ "bublupbot", MATCH_SUB, B, CUA },	/* BublupBot */
	{ "buck", MATCH_SUB, B, CUA | MAT },	/* Buck\/ */
	{ "buddybot", MATCH_SUB, B, CUA },	/* BuddyBot */
	{ "bugsnag", MATCH_SUB, B, CUA },	/* Bugsnag */
	{ "builtwith", MATCH_SUB, B, MAT },	/* (?:BuiltWith|BW/) */
	{ "burpcollaborator", MATCH_SUB, B, ISB },	/* burpcollaborator */
	{ "bushbaby", MATCH_SUB, B, CUA },	/* Bushbaby */
	{ "butterfly", MATCH_SUB, B, CUA },	/* Butterfly */
	{ "buttondown", MATCH_SUB, B, CUA },	/* Buttondown */
	{ "buzzbot", MATCH_SUB, B, CUA },	/* buzzbot */
	{ "bw/", MATCH_SUB, B, CUA | ISB | MAT },	/* BW\/ */
	{ "caliberbot", MATCH_SUB, B, CUA },	/* CaliberBot */
	{ "caliperbot", MATCH_SUB, B, CUA },	/* Caliperbot */
	{ "capitalonebot", MATCH_SUB, B, CUA },	/* CapitalOneBot */
	{ "capitaloneshopping", MATCH_SUB, B, CUA },	/* CapitalOneShopping */
	{ "capterrabot", MATCH_SUB, B, CUA },	/* CapterraBot */
	{ "capture", MATCH_SUB, B, CUA | ISB | MAT },	/* WebCapture */
	{ "carbon-umbrella-bot", MATCH_SUB, B, CUA },	/* carbon-umbrella-bot */
	{ "careerbot", MATCH_SUB, B, CUA | MAT },	/* careerbot */
	{ "castopod", MATCH_SUB, B, MAT },	/* Castopod */
	{ "castro 2, episode duration lookup", MATCH_SUB, B, MAT },	/* Castro 2, Episode Duration Lookup */
	{ "catch", MATCH_SUB, B, CUA | ISB | MAT },	/* Catchpoint */
	{ "catexplorador", MATCH_SUB, B, MAT },	/* CATExplorador */
	{ "caveman-hunter", MATCH_SUB, B, CUA },	/* caveman-hunter */
	{ "cc metadata scaper", MATCH_SUB, B, CUA },	/* CC Metadata Scaper */
	{ "ccbot", MATCH_SUB, B, CUA | MAT },	/* CCBot */
	{ "cdscbot", MATCH_SUB, B, CUA },	/* CDSCbot */
	{ "centuryb.o.t9", MATCH_SUB, B, CUA | MAT },	/* centuryb\.o\.t9 */
	{ "centurybot", MATCH_SUB, B, CUA | MAT },	/* centurybot */
	{ "cert pl", MATCH_SUB, B, CUA },	/* CERT PL */
	{ "certchief", MATCH_SUB, B, CUA },	/* CertChief */
	{ "certytags", MATCH_SUB, B, CUA },	/* certytags */
	{ "channable", MATCH_SUB, B, CUA },	/* channable */
	{ "channel3bot", MATCH_SUB, B, CUA },	/* Channel3Bot */
	{ "character-ai", MATCH_SUB, B, MAT },	/* Character-AI */
	{ "chargebeebot", MATCH_SUB, B, CUA },	/* ChargeBeeBot */
	{ "charlotte", MATCH_SUB, B, CUA | MAT },	/* Charlotte */
	{ "chatgpt-browser", MATCH_SUB, B, MAT },	/* ChatGPT-Browser */
	{ "chatgpt-user", MATCH_SUB, B, CUA | MAT },	/* ChatGPT-User */
	{ "check", MATCH_WORD, B, CUA | ISB | MAT },	/* check_http */
	{ "checker", MATCH_SUB, B, CUA | ISB | MAT },	/* CMSChecker */
	{ "checkhost", MATCH_SUB, B, CUA | MAT },	/* CheckHost */
	{ "checkly", MATCH_SUB, B, CUA },	/* Checkly */
	{ "checkmarknetwork", MATCH_SUB, B, CUA | MAT },	/* CheckMarkNetwork\/ */
	{ "chirp", MATCH_SUB, B, CUA },	/* Chirp|gotosocial */
	{ "choosito", MATCH_SUB, B, MAT },	/* Choosito */
	{ "chrome", MATCH_EXACT, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "chromeframe", MATCH_SUB, B, ISB },	/* chromeframe */
	{ "cincraw", MATCH_SUB, B, CUA | MAT },	/* Cincraw */
	{ "cirrusexplorer", MATCH_SUB, B, CUA },	/* CirrusExplorer */
	{ "citeseerxbot", MATCH_SUB, B, CUA },	/* citeseerxbot */
	{ "citoid", MATCH_SUB, B, CUA },	/* Citoid */
	{ "clamav ", MATCH_PREFIX, B, ISB },	/* ^clamav[ /] */
	{ "clamav/", MATCH_PREFIX, B, ISB },	/* ^clamav[ /] */
	{ "classifier", MATCH_SUB, B, ISB },	/* classifier */
	{ "classla", MATCH_SUB, B, CUA | MAT },	/* CLASSLA-web */
	{ "claude-code/", MATCH_PREFIX, B, ISB },	/* ^claude-code/ */
	{ "claude-searchbot", MATCH_SUB, B, CUA | MAT },	/* Claude-SearchBot */
	{ "claude-web", MATCH_SUB, B, CUA | MAT },	/* Claude-Web */
	{ "claudebot", MATCH_SUB, B, CUA | MAT },	/* [cC]laude[bB]ot */
	{ "clearscopebot", MATCH_SUB, B, CUA },	/* Clearscopebot */
	{ "clickagy", MATCH_SUB, B, CUA | MAT },	/* Clickagy */
	{ "client/", MATCH_PREFIX, B, ISB },	/* ^client/ */
	{ "cliqzbot", MATCH_SUB, B, MAT },	/* Cliqzbot */
	{ "cloudflare", MATCH_SUB, B, CUA | ISB | MAT },	/* cloudflare-csup */
	{ "cloudtrellis", MATCH_SUB, B, CUA },	/* Cloudtrellis */
	{ "cludo", MATCH_SUB, B, CUA },	/* [cC]ludo */
	{ "cms-experiment", MATCH_SUB, B, MAT },	/* cms-experiment */
	{ "cmslookup", MATCH_SUB, B, MAT },	/* (CheckerProxy|CMSLookup|CSE-Scanner|DomainProbe|FreePBX-S... */
	{ "cobweb/", MATCH_PREFIX, B, ISB },	/* ^cobweb/ */
	{ "coccoc", MATCH_SUB, B, CUA | MAT },	/* coccoc */
	{ "cocolyzebot", MATCH_SUB, B, CUA | MAT },	/* Cocolyzebot */
	{ "codabot", MATCH_SUB, B, CUA },	/* CodaBot */
	{ "code/1.", MATCH_SUB, B, CUA },	/* Code\/1\. */
	{ "cognitiveseo bot", MATCH_SUB, B, CUA },	/* cognitiveSEO Bot */
	{ "cognitiveseo.com", MATCH_SUB, B, CUA },	/* cognitiveseo\.com */
	{ "cohere-command", MATCH_SUB, B, MAT },	/* Cohere-Command */
	{ "cohere-training", MATCH_SUB, B, MAT },	/* cohere-training */
	{ "collapsify", MATCH_SUB, B, CUA | ISB },	/* Collapsify */
	{ "collectd", MATCH_SUB, B, MAT },	/* collectd */
	{ "collection@infegy.com", MATCH_SUB, B, CUA | MAT },	/* collection@infegy\.com */
	{ "collector", MATCH_WORD, B, MAT },	/* (generic) collector */
	{ "colly", MATCH_SUB, B, CUA | MAT },	/* colly */
	{ "comodo dcv", MATCH_SUB, B, MAT },	/* COMODO DCV */
	{ "contentkingapp", MATCH_SUB, B, CUA },	/* contentkingapp */
	{ "contextad bot", MATCH_SUB, B, CUA },	/* ContextAd Bot */
	{ "contextualbot", MATCH_SUB, B, CUA },	/* ContextualBot[\s\S]*outcomes\.net */
	{ "contxbot", MATCH_SUB, B, CUA },	/* contxbot */
	{ "convera", MATCH_SUB, B, CUA },	/* convera */
	{ "convermax", MATCH_SUB, B, CUA },	/* Convermax */
	{ "convertify", MATCH_SUB, B, ISB | MAT },	/* convertify */
	{ "cookie-maestro", MATCH_SUB, B, CUA },	/* cookie-maestro */
	{ "cookiebot", MATCH_SUB, B, CUA | MAT },	/* Cookiebot */
	{ "cookiehub bot", MATCH_SUB, B, CUA },	/* CookieHub Bot */
	{ "cookiehubverify", MATCH_SUB, B, CUA | ISB },	/* CookieHubVerify */
	{ "cookieyesbot", MATCH_SUB, B, CUA },	/* CookieYesbot */
	{ "corporama matcher", MATCH_SUB, B, CUA },	/* Corporama matcher */
	{ "cortex", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "cotoyogi", MATCH_SUB, B, CUA | MAT },	/* Cotoyogi */
	{ "crawl", MATCH_SUB, B, CUA | ISB | MAT },	/* ^dcrawl */
	{ "crazy egg", MATCH_SUB, B, CUA },	/* Crazy Egg */
	{ "critical css bot", MATCH_SUB, B, CUA },	/* Critical CSS Bot */
	{ "criticalcss.com", MATCH_SUB, B, CUA },	/* Criticalcss\.com */
	{ "cron-job.org", MATCH_SUB, B, CUA },	/* cron-job\.org */
	{ "cronless", MATCH_SUB, B, CUA },	/* Cronless */
	{ "crowdtanglebot", MATCH_SUB, B, MAT },	/* CrowdTanglebot */
	{ "crunchbot", MATCH_PREFIX, B, CUA },	/* ^CrunchBot */
	{ "crusader/", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "crusty/", MATCH_SUB, B, CUA },	/* crusty\/ */
	{ "crystalsemanticsbot", MATCH_SUB, B, CUA | MAT },	/* CrystalSemanticsBot */
	{ "csirt.cz", MATCH_SUB, B, CUA },	/* csirt\.cz */
	{ "csscheck", MATCH_SUB, B, MAT },	/* CSSCheck */
	{ "curebot", MATCH_SUB, B, CUA },	/* [Cc]urebot */
	{ "curious george", MATCH_SUB, B, MAT },	/* Curious George */
	{ "cursor/", MATCH_SUB, B, ISB },	/* cursor/ */
	{ "custom", MATCH_PREFIX, B, ISB },	/* ^custom */
	{ "customasynchttpclient", MATCH_SUB, B, CUA },	/* CustomAsyncHttpClient */
	{ "cutbot", MATCH_SUB, B, CUA },	/* Cutbot */
	{ "cxensebot", MATCH_SUB, B, CUA },	/* cXensebot */
	{ "cxk_bot", MATCH_SUB, B, CUA },	/* CXK_Bot */
	{ "cybaaagent", MATCH_SUB, B, MAT },	/* CybaaAgent */
	{ "cybaabot", MATCH_SUB, B, CUA | MAT },	/* CybaaBot */
	{ "cyberpatrol", MATCH_SUB, B, CUA },	/* CyberPatrol */
	{ "cyotekwebcopy", MATCH_SUB, B, CUA },	/* CyotekWebCopy */
	{ "cypex.ai", MATCH_SUB, B, MAT },	/* cypex\.ai */
	{ "cypress/", MATCH_SUB, B, ISB },	/* cypress/ */
	{ "dareboost", MATCH_SUB, B, CUA | ISB },	/* DareBoost */
	{ "dark", MATCH_EXACT, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "dark visitor", MATCH_SUB, B, CUA },	/* Dark Visitor */
	{ "daspeedbot", MATCH_SUB, B, CUA | MAT },	/* DaspeedBot */
	{ "datadog agent", MATCH_SUB, B, CUA | MAT },	/* Datadog Agent */
	{ "datagnionbot", MATCH_SUB, B, CUA | MAT },	/* datagnionbot */
	{ "dataminr.com", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "datanyze", MATCH_SUB, B, CUA | ISB | MAT },	/* Datanyze */
	{ "dataparksearch", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "dataprovider", MATCH_SUB, B, CUA | MAT },	/* Dataprovider\.com */
	{ "dataxu", MATCH_SUB, B, MAT },	/* DataXu */
	{ "daum/", MATCH_SUB, B, CUA | ISB },	/* Daum\/ */
	{ "daumoa", MATCH_SUB, B, CUA },	/* daumoa */
	{ "ddg-android", MATCH_PREFIX, B, ISB },	/* ^ddg[_-]android */
	{ "ddg_android", MATCH_PREFIX, B, ISB },	/* ^ddg[_-]android */
	{ "deepnoc", MATCH_SUB, B, CUA | MAT },	/* deepnoc */
	{ "deepseekbot", MATCH_SUB, B, CUA | MAT },	/* DeepSeekBot */
	{ "dejaclick", MATCH_SUB, B, ISB },	/* dejaclick */
	{ "depspid", MATCH_SUB, B, MAT },	/* DepSpid */
	{ "desktop", MATCH_EXACT, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "detect", MATCH_SUB, B, CUA | ISB | MAT },	/* Detectify */
	{ "determ", MATCH_SUB, B, CUA },	/* Determ */
	{ "deusu/", MATCH_SUB, B, CUA | ISB },	/* DeuSu\/ */
	{ "devin", MATCH_SUB, B, CUA | MAT },	/* Devin */
	{ "df bot", MATCH_SUB, B, CUA },	/* DF Bot */
	{ "diffbot", MATCH_SUB, B, MAT },	/* .+diffbot */
	{ "digg deeper", MATCH_SUB, B, CUA },	/* Digg Deeper */
	{ "digicert dcv", MATCH_SUB, B, CUA },	/* DigiCert DCV */
	{ "digincore bot", MATCH_SUB, B, CUA },	/* Digincore bot */
	{ "dirbuster", MATCH_SUB, B, CUA },	/* [dD]ir[Bb]uster */
	{ "discourse", MATCH_PREFIX, B, ISB },	/* ^discourse */
	{ "discovery", MATCH_SUB, B, CUA | ISB | MAT },	/* bitdiscovery */
	{ "dispatch/", MATCH_PREFIX, B, ISB },	/* ^dispatch/\d */
	{ "disqus", MATCH_SUB, B, CUA },	/* Disqus */
	{ "dlc/", MATCH_SUB, B, CUA | ISB },	/* Dlc\/ */
	{ "dlvr.it", MATCH_SUB, B, CUA },	/* dlvr\.it */
	{ "dmbot", MATCH_SUB, B, CUA },	/* Dmbot */
	{ "dmbrowser", MATCH_SUB, B, CUA | ISB | MAT },	/* DMBrowser */
	{ "dnesakcebot", MATCH_SUB, B, MAT },	/* DnesAkceBot */
	{ "dnt-policy@eff.org", MATCH_SUB, B, MAT },	/* dnt-policy@eff\.org */
	{ "dnyzbot", MATCH_SUB, B, CUA },	/* DnyzBot */
	{ "do not track verifier", MATCH_SUB, B, CUA },	/* Do Not Track Verifier */
	{ "domain re-animator bot", MATCH_SUB, B, CUA | MAT },	/* Domain Re-Animator Bot */
	{ "domain research project", MATCH_SUB, B, MAT },	/* domain research project */
	{ "domainappender", MATCH_SUB, B, MAT },	/* DomainAppender */
	{ "domaincodex.com", MATCH_SUB, B, MAT },	/* domaincodex\.com */
	{ "domainextractor", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "domainprobe", MATCH_SUB, B, MAT },	/* (CheckerProxy|CMSLookup|CSE-Scanner|DomainProbe|FreePBX-S... */
	{ "domains project", MATCH_SUB, B, CUA | MAT },	/* Domains Project\/ */
	{ "domainstatsbot", MATCH_SUB, B, CUA | MAT },	/* DomainStatsBot */
	{ "domcopbot", MATCH_SUB, B, CUA | MAT },	/* DomCopBot */
	{ "dominicbot", MATCH_SUB, B, CUA },	/* DominicBot */
	{ "dormouse", MATCH_SUB, B, MAT },	/* (ABEvalBot|AdsTxtCrawlerTP|ArtelLeadRadar|DNSResearchBot|... */
	{ "dotbot", MATCH_SUB, B, CUA | MAT },	/* dotbot */
	{ "dotcom-monitor", MATCH_SUB, B, CUA },	/* Dotcom-Monitor */
	{ "dow jones searchbot", MATCH_SUB, B, CUA },	/* Dow Jones Searchbot */
	{ "downcast/", MATCH_PREFIX, B, ISB },	/* ^downcast/ */
	{ "download", MATCH_SUB, B, CUA | ISB | MAT },	/* Download Ninja */
	{ "downnotifier.com", MATCH_SUB, B, CUA },	/* downnotifier\.com */
	{ "dragonbot", MATCH_SUB, B, CUA },	/* Dragonbot */
	{ "drataautopilot", MATCH_SUB, B, CUA },	/* DrataAutopilot */
	{ "dratabot", MATCH_SUB, B, CUA },	/* Dratabot */
	{ "dreamhost data team", MATCH_SUB, B, CUA },	/* DreamHost Data Team */
	{ "drupact", MATCH_SUB, B, CUA },	/* drupact */
	{ "drupalbot", MATCH_SUB, B, CUA },	/* Drupalbot */
	{ "ds9", MATCH_SUB, B, CUA | MAT },	/* ds9 */
	{ "dubbotbot", MATCH_SUB, B, CUA | MAT },	/* Dubbotbot */
	{ "duckduckbot", MATCH_SUB, B, CUA | MAT },	/* DuckDuckBot */
	{ "duckduckgo", MATCH_PREFIX, B, ISB },	/* ^duckduckgo */
	{ "duckduckgo-favicons-bot", MATCH_SUB, B, CUA | MAT },	/* DuckDuckGo-Favicons-Bot */
	{ "ducks.party", MATCH_SUB, B, MAT },	/* ducks\.party */
	{ "duplexweb-google", MATCH_SUB, B, MAT },	/* DuplexWeb-Google */
	{ "dvbot", MATCH_SUB, B, CUA | MAT },	/*  DVbot */
	{ "easybib autocite", MATCH_SUB, B, CUA | MAT },	/* EasyBib AutoCite */
	{ "easybill-importmanager", MATCH_SUB, B, CUA },	/* easybill-ImportManager */
	{ "easycron/", MATCH_SUB, B, CUA },	/* EasyCron\/ */
	{ "easydns monitoring", MATCH_SUB, B, CUA },	/* easyDNS Monitoring */
	{ "ec2linkfinder", MATCH_SUB, B, CUA },	/* ec2linkfinder */
	{ "ecovadissustainabilitybot", MATCH_SUB, B, CUA },	/* EcoVadisSustainabilityBot */
	{ "edansbot", MATCH_SUB, B, CUA },	/* edansbot */
	{ "edgewatch", MATCH_SUB, B, CUA },	/* EdgeWatch */
	{ "edisterbot", MATCH_SUB, B, CUA },	/* edisterbot */
	{ "electricmonk", MATCH_SUB, B, CUA },	/* electricmonk */
	{ "elisabot", MATCH_SUB, B, CUA },	/* elisabot */
	{ "elmahio-uptimebot", MATCH_SUB, B, CUA },	/* elmahio-uptimebot */
	{ "email", MATCH_PREFIX, B, ISB },	/* ^email */
	{ "email exractor", MATCH_SUB, B, MAT },	/* EMail Exractor */
	{ "emailwolf", MATCH_SUB, B, CUA | MAT },	/* EmailWolf */
	{ "emoneybot", MATCH_SUB, B, CUA },	/* eMoneyBot */
	{ "entferbot", MATCH_SUB, B, MAT },	/* EntferBot */
	{ "epicbot", MATCH_SUB, B, CUA },	/* epicbot */
	{ "eright", MATCH_SUB, B, CUA },	/* eright */
	{ "evc-batch", MATCH_SUB, B, CUA | MAT },	/* evc-batch */
	{ "evernoterichlinkbot", MATCH_SUB, B, CUA },	/* EvernoteRichLinkBot */
	{ "everyonesocialbot", MATCH_SUB, B, CUA },	/* EveryoneSocialBot */
	{ "evouptimebot", MATCH_SUB, B, CUA },	/* EvoUptimeBot */
	{ "exabot", MATCH_SUB, B, CUA | MAT },	/* exabot */
	{ "exaleadcloudview", MATCH_SUB, B, ISB | MAT },	/* exaleadcloudview */
	{ "example3", MATCH_SUB, B, MAT },	/* Example3 */
	{ "exchange check", MATCH_SUB, B, MAT },	/* Exchange check */
	{ "exodusmovement", MATCH_SUB, B, CUA | ISB },	/* ExodusMovement */
	{ "expanse", MATCH_SUB, B, CUA | MAT },	/* Expanse */
	{ "experibot", MATCH_SUB, B, CUA },	/* Experibot */
	{ "extlinksbot", MATCH_SUB, B, CUA },	/* ExtLinksBot */
	{ "eyemonit", MATCH_SUB, B, MAT },	/* EyeMonIT */
	{ "eyeotabot", MATCH_SUB, B, CUA | MAT },	/* Eyeotabot */
	{ "ezgif", MATCH_SUB, B, CUA | MAT },	/* Ezgif */
	{ "ezid", MATCH_SUB, B, CUA },	/* EZID */
	{ "ezlynx", MATCH_SUB, B, CUA },	/* EzLynx */
	{ "ezoicbot", MATCH_SUB, B, CUA },	/* EzoicBot */
	{ "ezooms", MATCH_SUB, B, CUA | MAT },	/* ezooms */
	{ "e~arsnova-filter-system", MATCH_SUB, B, MAT },	/* e~arsnova-filter-system */
	{ "facebook", MATCH_PREFIX, B, ISB },	/* ^facebook */
	{ "facebookbot", MATCH_SUB, B, CUA | MAT },	/* FacebookBot */
	{ "facebookcatalog", MATCH_SUB, B, CUA | MAT },	/* facebookcatalog\/ */
	{ "facebookexternalua", MATCH_SUB, B, MAT },	/* facebook(?:catalog|externalhit|externalua|platform|scraper) */
	{ "facebookplatform", MATCH_SUB, B, MAT },	/* facebook(?:catalog|externalhit|externalua|platform|scraper) */
	{ "facebot", MATCH_SUB, B, CUA },	/* Facebot */
	{ "factset_spyderbot", MATCH_SUB, B, CUA },	/* factset_spyderbot */
	{ "fastdast", MATCH_SUB, B, CUA },	/* FastDAST */
	{ "fastmailua", MATCH_SUB, B, CUA },	/* FastmailUA */
	{ "faveeo.com", MATCH_SUB, B, MAT },	/* faveeo\.com */
	{ "fdl stats bot", MATCH_SUB, B, CUA },	/* FDL Stats Bot */
	{ "fedicabot", MATCH_SUB, B, CUA },	/* Fedicabot */
	{ "fedidb", MATCH_SUB, B, CUA },	/* FediDB */
	{ "fediindex", MATCH_SUB, B, CUA },	/* FediIndex */
	{ "fedilist agent", MATCH_SUB, B, CUA },	/* FediList Agent */
	{ "fedineko", MATCH_SUB, B, CUA },	/* Fedineko */
	{ "fedoraplanet", MATCH_SUB, B, CUA },	/* fedoraplanet */
	{ "fedreporterdatabot", MATCH_SUB, B, CUA },	/* FedReporterDataBot */
	{ "feed", MATCH_SUB, B, CUA | ISB | MAT },	/* Feedly */
	{ "femtosearchbot", MATCH_SUB, B, CUA | MAT },	/* FemtosearchBot */
	{ "fetch/", MATCH_SUB, B, CUA },	/* Fetch\/ */
	{ "fetcher", MATCH_WORD, B, CUA | MAT },	/* ImageFetcher\/ */
	{ "fever", MATCH_SUB, B, CUA | MAT },	/* Fever */
	{ "fidget-spinner-bot", MATCH_SUB, B, CUA },	/* fidget-spinner-bot */
	{ "findergo", MATCH_SUB, B, MAT },	/* (ABEvalBot|AdsTxtCrawlerTP|ArtelLeadRadar|DNSResearchBot|... */
	{ "findfiles.net", MATCH_SUB, B, CUA | MAT },	/* FindFiles\.net */
	{ "findisebot", MATCH_SUB, B, MAT },	/* FindiseBot */
	{ "finditanswersbot", MATCH_SUB, B, CUA },	/* FindITAnswersbot */
	{ "findlink", MATCH_SUB, B, CUA | MAT },	/* findlink */
	{ "findthatfile", MATCH_SUB, B, CUA },	/* findthatfile */
	{ "findxbot", MATCH_SUB, B, CUA | MAT },	/* findxbot */
	{ "fiperbot", MATCH_SUB, B, CUA },	/* fiperbot */
	{ "firefox", MATCH_EXACT, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "firephp", MATCH_SUB, B, ISB },	/* firephp */
	{ "firmograph", MATCH_SUB, B, CUA },	/* FirmoGraph */
	{ "flamingo_searchengine", MATCH_SUB, B, CUA },	/* Flamingo_SearchEngine */
	{ "fleebsbot", MATCH_SUB, B, CUA },	/* FleebsBot */
	{ "flipboardrss", MATCH_SUB, B, CUA | MAT },	/* FlipboardRSS */
	{ "fluffy", MATCH_SUB, B, CUA },	/* fluffy */
	{ "flyriverbot", MATCH_SUB, B, CUA },	/* Flyriverbot */
	{ "foregenix", MATCH_SUB, B, CUA | ISB },	/* Foregenix */
	{ "formfinder", MATCH_SUB, B, MAT },	/* (ABEvalBot|AdsTxtCrawlerTP|ArtelLeadRadar|DNSResearchBot|... */
	{ "forwardqr", MATCH_SUB, B, MAT },	/* ForwardQR */
	{ "fragfinn", MATCH_SUB, B, MAT },	/* fragFINN */
	{ "freespoke/", MATCH_SUB, B, CUA },	/* Freespoke\/ */
	{ "freshbot", MATCH_SUB, B, CUA },	/* Freshbot */
	{ "freshpingbot", MATCH_SUB, B, CUA },	/* FreshpingBot */
	{ "freshrss", MATCH_SUB, B, CUA | MAT },	/* FreshRSS */
	{ "friendly testing bot", MATCH_SUB, B, CUA },	/* Friendly testing bot */
	{ "fuck-your-hp", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "fuelbot", MATCH_SUB, B, CUA },	/* fuelbot */
	{ "functionize", MATCH_SUB, B, ISB | MAT },	/* functionize */
	{ "funnelback", MATCH_SUB, B, CUA },	/* Funnelback */
	{ "fyrebot", MATCH_SUB, B, CUA },	/* Fyrebot */
	{ "g00g1e.net", MATCH_SUB, B, CUA },	/* g00g1e\.net */
	{ "g2 web services", MATCH_SUB, B, CUA },	/* G2 Web Services */
	{ "g2reader-bot", MATCH_SUB, B, CUA },	/* g2reader-bot */
	{ "gaisbot", MATCH_SUB, B, CUA | MAT },	/* Gaisbot */
	{ "gbrmss", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "gdnplus.com", MATCH_SUB, B, CUA | MAT },	/* gdnplus\.com */
	{ "geckotrail", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "geedoproductsearch", MATCH_SUB, B, CUA | MAT },	/* GeedoProductSearch */
	{ "gemini-ai", MATCH_SUB, B, MAT },	/* Gemini-AI */
	{ "gemini-deep-research", MATCH_SUB, B, CUA | MAT },	/* Gemini-Deep-Research */
	{ "genieo", MATCH_SUB, B, CUA | MAT },	/* Genieo */
	{ "getodin.com", MATCH_SUB, B, MAT },	/* getodin\.com */
	{ "getright/", MATCH_PREFIX, B, ISB },	/* ^getright/ */
	{ "getthit.com", MATCH_SUB, B, CUA },	/* getthit\.com */
	{ "gigablast", MATCH_SUB, B, CUA | MAT },	/* Gigablast */
	{ "gigabot", MATCH_SUB, B, CUA | MAT },	/* Gigabot */
	{ "github-camo", MATCH_SUB, B, CUA | MAT },	/* github-camo */
	{ "githubcopilotchat", MATCH_SUB, B, MAT },	/* GitHubCopilotChat */
	{ "globalwebsearch", MATCH_SUB, B, CUA | MAT },	/* GlobalWebSearch */
	{ "gnowitnewsbot", MATCH_SUB, B, CUA },	/* GnowitNewsbot */
	{ "go-http-client", MATCH_SUB, B, CUA },	/* Go-http-client */
	{ "gobuster", MATCH_SUB, B, MAT },	/* gobuster */
	{ "gochitchat.ai", MATCH_SUB, B, MAT },	/* gochitchat\.ai */
	{ "golfe", MATCH_SUB, B, CUA | MAT },	/* Golfe\/ */
	{ "gomeza", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "goodreads", MATCH_SUB, B, CUA },	/* Goodreads */
	{ "goodzer", MATCH_SUB, B, CUA },	/* Goodzer */
	{ "google favicon", MATCH_SUB, B, CUA | MAT },	/* Google Favicon */
	{ "google publisher plugin", MATCH_SUB, B, MAT },	/* Adwords-(?:DisplayAds|Express|Instant)|Google Web Preview... */
	{ "google publisher-plugin", MATCH_SUB, B, MAT },	/* Adwords-(?:DisplayAds|Express|Instant)|Google Web Preview... */
	{ "google search console", MATCH_SUB, B, MAT },	/* Google Search Console */
	{ "google sketchup", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "google trust services", MATCH_SUB, B, CUA },	/* Google Trust Services */
	{ "google-ads-conversions", MATCH_SUB, B, CUA | MAT },	/* Google-Ads-Conversions */
	{ "google-ads-qualify", MATCH_SUB, B, MAT },	/* Adwords-(?:DisplayAds|Express|Instant)|Google Web Preview... */
	{ "google-adstxt", MATCH_SUB, B, MAT },	/* Adwords-(?:DisplayAds|Express|Instant)|Google Web Preview... */
	{ "google-adwords", MATCH_SUB, B, CUA | MAT },	/* Google-AdWords-Express */
	{ "google-agent", MATCH_SUB, B, CUA },	/* Google-Agent */
	{ "google-amphtml", MATCH_SUB, B, MAT },	/* Adwords-(?:DisplayAds|Express|Instant)|Google Web Preview... */
	{ "google-apps-script", MATCH_SUB, B, CUA | MAT },	/* Google-Apps-Script */
	{ "google-area120", MATCH_SUB, B, CUA | MAT },	/* Google-Area120 */
	{ "google-assess", MATCH_SUB, B, MAT },	/* Adwords-(?:DisplayAds|Express|Instant)|Google Web Preview... */
	{ "google-businesslinkverification", MATCH_SUB, B, MAT },	/* Adwords-(?:DisplayAds|Express|Instant)|Google Web Preview... */
	{ "google-certificates-bridge", MATCH_SUB, B, CUA },	/* Google-Certificates-Bridge */
	{ "google-cloud-scheduler", MATCH_SUB, B, MAT },	/* Google-Cloud-Scheduler */
	{ "google-cloudvertexbot", MATCH_SUB, B, CUA | MAT },	/* Google-CloudVertexBot */
	{ "google-document-conversion", MATCH_SUB, B, MAT },	/* Google-Document-Conversion */
	{ "google-extended", MATCH_SUB, B, CUA | MAT },	/* Google-Extended */
	{ "google-firebase", MATCH_SUB, B, MAT },	/* Google-Firebase */
	{ "google-gemini-cli", MATCH_SUB, B, CUA },	/* Google-Gemini-CLI */
	{ "google-gemininotebook", MATCH_SUB, B, MAT },	/* (Google-(?:GeminiNotebook|NotebookLM)) */
	{ "google-hoteladsverifier", MATCH_SUB, B, MAT },	/* Adwords-(?:DisplayAds|Express|Instant)|Google Web Preview... */
	{ "google-ilp", MATCH_SUB, B, MAT },	/* Google-ilp */
	{ "google-lens", MATCH_SUB, B, MAT },	/* Adwords-(?:DisplayAds|Express|Instant)|Google Web Preview... */
	{ "google-notebooklm", MATCH_SUB, B, CUA | MAT },	/* Google-NotebookLM */
	{ "google-physicalweb", MATCH_SUB, B, CUA },	/* Google-PhysicalWeb */
	{ "google-pinpoint", MATCH_SUB, B, MAT },	/* Google-Pinpoint */
	{ "google-publisher plugin", MATCH_SUB, B, MAT },	/* Adwords-(?:DisplayAds|Express|Instant)|Google Web Preview... */
	{ "google-publisher-plugin", MATCH_SUB, B, MAT },	/* Adwords-(?:DisplayAds|Express|Instant)|Google Web Preview... */
	{ "google-read-aloud", MATCH_SUB, B, CUA | MAT },	/* Google-Read-Aloud */
	{ "google-safety", MATCH_SUB, B, CUA | MAT },	/* Google-Safety */
	{ "google-shopping-quality", MATCH_SUB, B, MAT },	/* Adwords-(?:DisplayAds|Express|Instant)|Google Web Preview... */
	{ "google-site-verification", MATCH_SUB, B, CUA | MAT },	/* Google-Site-Verification */
	{ "google-sites-thumbnails", MATCH_SUB, B, MAT },	/* Adwords-(?:DisplayAds|Express|Instant)|Google Web Preview... */
	{ "google-speakr", MATCH_SUB, B, MAT },	/* Adwords-(?:DisplayAds|Express|Instant)|Google Web Preview... */
	{ "google-stale-content-probe", MATCH_SUB, B, MAT },	/* Adwords-(?:DisplayAds|Express|Instant)|Google Web Preview... */
	{ "google-structured-data-testing-tool", MATCH_SUB, B, CUA | MAT },	/* Google-Structured-Data-Testing-Tool */
	{ "google-test", MATCH_SUB, B, MAT },	/* Adwords-(?:DisplayAds|Express|Instant)|Google Web Preview... */
	{ "google-transparency-report", MATCH_SUB, B, MAT },	/* Google-Transparency-Report */
	{ "google-trust-services/", MATCH_SUB, B, CUA },	/* Google-Trust-Services\/ */
	{ "google-xrawler", MATCH_SUB, B, CUA },	/* google-xrawler */
	{ "google-youtube-links", MATCH_SUB, B, MAT },	/* Adwords-(?:DisplayAds|Express|Instant)|Google Web Preview... */
	{ "google_partner_monitoring", MATCH_SUB, B, MAT },	/* google_partner_monitoring */
	{ "googleassociationservice", MATCH_SUB, B, CUA | MAT },	/* GoogleAssociationService$ */
	{ "googlebot", MATCH_SUB, B, MAT },	/* Adwords-(?:DisplayAds|Express|Instant)|Google Web Preview... */
	{ "googledocs", MATCH_SUB, B, CUA | MAT },	/* GoogleDocs */
	{ "googleother", MATCH_SUB, B, CUA | MAT },	/* GoogleOther */
	{ "googleprober", MATCH_SUB, B, MAT },	/* Adwords-(?:DisplayAds|Express|Instant)|Google Web Preview... */
	{ "googleproducer", MATCH_SUB, B, CUA | MAT },	/* GoogleProducer */
	{ "googlesites", MATCH_SUB, B, MAT },	/* Adwords-(?:DisplayAds|Express|Instant)|Google Web Preview... */
	{ "googlestackdrivermonitoring", MATCH_SUB, B, CUA | MAT },	/* GoogleStackdriverMonitoring */
	{ "gopay", MATCH_SUB, B, CUA },	/* GoPay */
	{ "gowikibot", MATCH_SUB, B, CUA | MAT },	/* Gowikibot */
	{ "gozilla/", MATCH_PREFIX, B, ISB },	/* ^gozilla/ */
	{ "gozlebot", MATCH_SUB, B, MAT },	/* GozleBot */
	{ "gptbot", MATCH_SUB, B, CUA | MAT },	/* GPTBot */
	{ "grab", MATCH_SUB, B, CUA | ISB | MAT },	/* zgrab */
	{ "grafana/", MATCH_SUB, B, MAT },	/* Grafana/(\d+\.[.\d]+) */
	{ "grammarly", MATCH_SUB, B, CUA | MAT },	/* Grammarly\/ */
	{ "greedyhand", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "gregarius", MATCH_SUB, B, MAT },	/* Gregarius */
	{ "grobbot", MATCH_SUB, B, CUA },	/* Grobbot */
	{ "groq-bot", MATCH_SUB, B, MAT },	/* Groq-Bot */
	{ "grouphigh/", MATCH_SUB, B, CUA },	/* GroupHigh\/ */
	{ "grover/", MATCH_SUB, B, CUA },	/* Grover\/ */
	{ "grub-client", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "grub.org", MATCH_SUB, B, CUA },	/* grub\.org */
	{ "gslfbot", MATCH_SUB, B, CUA },	/* gslfbot */
	{ "gtmetrix", MATCH_SUB, B, CUA | MAT },	/* GTmetrix */
	{ "gulper web bot", MATCH_SUB, B, CUA },	/* Gulper Web Bot */
	{ "gwene", MATCH_SUB, B, CUA },	/* Gwene */
	{ "hackermention", MATCH_SUB, B, MAT },	/* hackermention */
	{ "hakai", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "hanaleibot", MATCH_SUB, B, CUA | MAT },	/* HanaleiBot */
	{ "happywing", MATCH_SUB, B, CUA },	/* HappyWing */
	{ "hardenize", MATCH_SUB, B, CUA | ISB },	/* Hardenize */
	{ "hatena", MATCH_SUB, B, CUA | MAT },	/* Hatena */
	{ "hawaiibot", MATCH_SUB, B, CUA },	/* HawaiiBot */
	{ "headless", MATCH_SUB, B, CUA | ISB },	/* HeadlessChrome */
	{ "heexybot", MATCH_SUB, B, MAT },	/* Heexybot */
	{ "hello world", MATCH_SUB, B, CUA | MAT },	/* Hello World */
	{ "hello, world", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "hells-net", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "henkbot", MATCH_SUB, B, CUA },	/* HenkBot */
	{ "heritrix", MATCH_SUB, B, CUA | MAT },	/* heritrix */
	{ "hobbit", MATCH_PREFIX, B, ISB },	/* ^hobbit */
	{ "honeybadgerbot", MATCH_SUB, B, CUA },	/* HoneybadgerBot */
	{ "honeygain", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "hosttracker/", MATCH_SUB, B, CUA },	/* HostTracker\/ */
	{ "hotjar", MATCH_SUB, B, CUA | ISB },	/* Hotjar */
	{ "hotzonu", MATCH_PREFIX, B, ISB },	/* ^hotzonu */
	{ "hstspreload-bot", MATCH_SUB, B, CUA },	/* hstspreload-bot */
	{ "htdig", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "htmlyse", MATCH_SUB, B, MAT },	/* htmlyse */
	{ "http%20client", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "http://", MATCH_SUB, B, CUA | ISB },	/* Riddler \(http:\/\/riddler\.io */
	{ "http_get", MATCH_SUB, B, CUA },	/* http_get */
	{ "httpie/", MATCH_PREFIX, B, CUA },	/* ^HTTPie\/ */
	{ "httpmon", MATCH_SUB, B, MAT },	/* HTTPMon */
	{ "https://", MATCH_SUB, B, CUA | ISB | MAT },	/* SSL Labs \(https:\/\/www\.ssllabs\.com */
	{ "httpunit", MATCH_SUB, B, CUA },	/* httpunit */
	{ "httpx", MATCH_SUB, B, CUA | MAT },	/* httpx */
	{ "httrack", MATCH_SUB, B, CUA | ISB },	/* HTTrack */
	{ "huaweiwebcatbot", MATCH_SUB, B, MAT },	/* HuaweiWebCatBot */
	{ "hubseedsbot", MATCH_SUB, B, MAT },	/* (ABEvalBot|AdsTxtCrawlerTP|ArtelLeadRadar|DNSResearchBot|... */
	{ "hubspot", MATCH_SUB, B, CUA | ISB | MAT },	/* HubSpot */
	{ "huggingface-bot", MATCH_SUB, B, MAT },	/* HuggingFace-Bot */
	{ "hwcdn/", MATCH_PREFIX, B, ISB },	/* ^hwcdn/ */
	{ "hydrozen.io", MATCH_SUB, B, CUA },	/* Hydrozen\.io */
	{ "hype machine/", MATCH_SUB, B, CUA },	/* Hype Machine\/ */
	{ "hypestat", MATCH_SUB, B, CUA | MAT },	/* hypestat */
	{ "hyscore.io", MATCH_SUB, B, CUA },	/* hyscore\.io */
	{ "ias_wombles", MATCH_SUB, B, MAT },	/* ias_wombles */
	{ "iaskbot", MATCH_SUB, B, MAT },	/* iAskBot */
	{ "ibisbrowser", MATCH_SUB, B, ISB },	/* ibisbrowser */
	{ "iboubot", MATCH_SUB, B, CUA | MAT },	/* IbouBot */
	{ "ichiro", MATCH_SUB, B, CUA | MAT },	/* ichiro */
	{ "idbte4m code87", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "idg/eu", MATCH_SUB, B, CUA | MAT },	/* IDG\/EU */
	{ "idg/it", MATCH_SUB, B, MAT },	/* IDG/(?:EU|IT|RU|UK) */
	{ "idg/ru", MATCH_SUB, B, MAT },	/* IDG/(?:EU|IT|RU|UK) */
	{ "idg/uk", MATCH_SUB, B, MAT },	/* IDG/(?:EU|IT|RU|UK) */
	{ "ifttt/", MATCH_SUB, B, CUA },	/* IFTTT\/ */
	{ "igetter/", MATCH_PREFIX, B, ISB },	/* ^igetter/ */
	{ "iisbot", MATCH_SUB, B, MAT },	/* iisbot */
	{ "imagemind", MATCH_SUB, B, CUA },	/* ImageMind */
	{ "imagesift", MATCH_SUB, B, CUA | MAT },	/* ImagesiftBot */
	{ "img2dataset", MATCH_SUB, B, CUA | MAT },	/* img2dataset */
	{ "importdomains", MATCH_SUB, B, MAT },	/* (ABEvalBot|AdsTxtCrawlerTP|ArtelLeadRadar|DNSResearchBot|... */
	{ "imrbot", MATCH_SUB, B, CUA },	/* imrbot */
	{ "indeedbot", MATCH_SUB, B, CUA },	/* IndeedBot */
	{ "indeedjobbot", MATCH_SUB, B, CUA },	/* IndeedJobBot */
	{ "indexer", MATCH_WORD, B, CUA | MAT },	/* Sidetrade indexer bot */
	{ "inetdex-bot", MATCH_SUB, B, CUA | MAT },	/* INETDEX-BOT */
	{ "infoguarddisclosureresearch", MATCH_SUB, B, MAT },	/* InfoGuardDisclosureResearch */
	{ "infrawatch", MATCH_SUB, B, ISB | MAT },	/* infrawatch */
	{ "innguma/", MATCH_SUB, B, CUA },	/* Innguma\/ */
	{ "innologica", MATCH_SUB, B, CUA },	/* Innologica */
	{ "inoreader", MATCH_SUB, B, CUA | MAT },	/* inoreader */
	{ "insight", MATCH_SUB, B, CUA | ISB | MAT },	/* AppInsights */
	{ "insomania", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "inspect", MATCH_SUB, B, CUA | ISB | MAT },	/* MetaInspector */
	{ "inspici", MATCH_SUB, B, MAT },	/* Inspici */
	{ "instapaper/", MATCH_SUB, B, CUA },	/* Instapaper\/ */
	{ "insytfulbot", MATCH_SUB, B, MAT },	/* InsytfulBot */
	{ "integromat/", MATCH_SUB, B, CUA },	/* Integromat\/ */
	{ "integromedb", MATCH_SUB, B, CUA },	/* integromedb */
	{ "intelium_bot", MATCH_SUB, B, CUA },	/* intelium_bot */
	{ "intelx.io_bot", MATCH_SUB, B, CUA | MAT },	/* intelx\.io_bot */
	{ "intently.co", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "internaetboten", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "internetvista monitor", MATCH_SUB, B, CUA },	/* internetVista monitor */
	{ "ip-guide.com", MATCH_SUB, B, MAT },	/* IP-Guide\.com */
	{ "iplabel", MATCH_SUB, B, ISB | MAT },	/* iplabel */
	{ "ips-agent", MATCH_SUB, B, CUA | MAT },	/* ips-agent */
	{ "irlbot", MATCH_SUB, B, CUA },	/* IRLbot */
	{ "irokez.cz monitoring", MATCH_SUB, B, CUA },	/* Irokez\.cz monitoring */
	{ "isitwp.com", MATCH_SUB, B, MAT },	/* WordPress.+isitwp\.com */
	{ "iskanie", MATCH_SUB, B, CUA },	/* iskanie */
	{ "istellabot", MATCH_SUB, B, CUA },	/* IstellaBot */
	{ "itms", MATCH_SUB, B, MAT },	/* iTMS */
	{ "james bot", MATCH_SUB, B, CUA },	/* James BOT */
	{ "jeode/", MATCH_PREFIX, B, ISB },	/* ^jeode/ */
	{ "jesus christ of nazareth is lord", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "jetmon/", MATCH_SUB, B, CUA },	/* jetmon\/ */
	{ "jetslide", MATCH_SUB, B, CUA },	/* Jetslide */
	{ "jetty", MATCH_SUB, B, CUA | ISB },	/* Jetty */
	{ "jigsaw", MATCH_SUB, B, ISB | MAT },	/* ^jigsaw */
	{ "jobboersebot", MATCH_SUB, B, CUA | MAT },	/* JobboerseBot */
	{ "jobswithgptcom-bot", MATCH_SUB, B, CUA },	/* jobswithgptcom-bot */
	{ "john recon", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "jooblebot", MATCH_SUB, B, CUA },	/* Jooblebot */
	{ "jpg-newsbot", MATCH_SUB, B, CUA },	/* jpg-newsbot */
	{ "jumio", MATCH_SUB, B, CUA },	/* Jumio */
	{ "junglekeythumbnail", MATCH_SUB, B, MAT },	/* JungleKeyThumbnail */
	{ "k6/", MATCH_SUB, B, MAT },	/* k6/ */
	{ "k7mlwcbot", MATCH_SUB, B, CUA },	/* K7MLWCBot */
	{ "kagi-fetcher", MATCH_SUB, B, CUA },	/* kagi-fetcher */
	{ "kagibot", MATCH_SUB, B, MAT },	/* Kagibot */
	{ "kangaroo bot", MATCH_SUB, B, CUA },	/* Kangaroo Bot */
	{ "kaspersky lab cfr link resolver", MATCH_SUB, B, MAT },	/* Kaspersky Lab CFR link resolver */
	{ "kb.dk_bot", MATCH_SUB, B, CUA },	/* kb\.dk_bot */
	{ "kemvibot", MATCH_SUB, B, CUA },	/* Kemvibot */
	{ "kendrabot", MATCH_SUB, B, CUA },	/* KendraBot */
	{ "kenyadomainscorer", MATCH_SUB, B, MAT },	/* (ABEvalBot|AdsTxtCrawlerTP|ArtelLeadRadar|DNSResearchBot|... */
	{ "keydrop", MATCH_SUB, B, CUA | MAT },	/* Keydrop\.io */
	{ "keys-so-bot", MATCH_SUB, B, CUA | MAT },	/* keys-so-bot */
	{ "kimi-searchbot", MATCH_SUB, B, MAT },	/* Kimi-SearchBot */
	{ "kimi-user", MATCH_SUB, B, MAT },	/* Kimi-User */
	{ "kimibot", MATCH_SUB, B, MAT },	/* KimiBot */
	{ "kinsta-bot", MATCH_SUB, B, CUA },	/* kinsta-bot */
	{ "kirkland-signature", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "kiwitcms-gitops", MATCH_SUB, B, MAT },	/* kiwitcms-gitops */
	{ "klaviyo/", MATCH_SUB, B, CUA },	/* Klaviyo\/ */
	{ "known agent", MATCH_SUB, B, CUA },	/* Known Agent */
	{ "komaru_the_cat", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "komodiabot", MATCH_SUB, B, CUA | MAT },	/* KomodiaBot */
	{ "konturbot", MATCH_SUB, B, MAT },	/* Konturbot */
	{ "kouio", MATCH_SUB, B, MAT },	/* kouio */
	{ "kowai", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "kozmonavt.", MATCH_SUB, B, MAT },	/* kozmonavt\. */
	{ "krawlerbot", MATCH_SUB, B, CUA },	/* KrawlerBot */
	{ "kstandbot", MATCH_SUB, B, CUA | MAT },	/* KStandBot */
	{ "kvshclient", MATCH_EXACT, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "l9explore", MATCH_SUB, B, CUA | MAT },	/* l9explore */
	{ "lac_iaharvester", MATCH_SUB, B, CUA | MAT },	/* LAC_IAHarvester */
	{ "laion-huggingface-processor", MATCH_SUB, B, CUA },	/* laion-huggingface-processor */
	{ "laravel reaver", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "larbin", MATCH_SUB, B, CUA | MAT },	/* larbin */
	{ "laserlikebot", MATCH_SUB, B, CUA },	/* Laserlikebot */
	{ "last-modified.com", MATCH_SUB, B, MAT },	/* last-modified\.com */
	{ "lcc", MATCH_SUB, B, CUA | MAT },	/* ^LCC  */
	{ "leak.info", MATCH_SUB, B, MAT },	/* leak\.info */
	{ "legalmonster", MATCH_SUB, B, CUA },	/* LegalMonster */
	{ "leikibot", MATCH_SUB, B, CUA },	/* Leikibot */
	{ "lemmy", MATCH_SUB, B, CUA },	/* Lemmy */
	{ "let's encrypt", MATCH_SUB, B, CUA },	/* Let's Encrypt */
	{ "letrixlabs", MATCH_SUB, B, MAT },	/* (ABEvalBot|AdsTxtCrawlerTP|ArtelLeadRadar|DNSResearchBot|... */
	{ "letsearchbot", MATCH_SUB, B, MAT },	/* LetsearchBot */
	{ "library", MATCH_SUB, B, CUA | ISB },	/* Indy Library */
	{ "libredtail", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "libwww-perl", MATCH_SUB, B, CUA },	/* libwww-perl */
	{ "linerbot", MATCH_SUB, B, MAT },	/* LinerBot */
	{ "linguee bot", MATCH_SUB, B, CUA },	/* Linguee Bot */
	{ "linkace/", MATCH_SUB, B, CUA },	/* LinkAce\/ */
	{ "linkapediabot", MATCH_SUB, B, CUA },	/* linkapediabot */
	{ "linkbloom", MATCH_SUB, B, MAT },	/* LinkBloom */
	{ "linkchain", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "linkcheck", MATCH_SUB, B, CUA | ISB },	/* SENTINEL-LinkCheck */
	{ "linkdex", MATCH_SUB, B, CUA | MAT },	/* linkdex */
	{ "linkisbot", MATCH_SUB, B, CUA },	/* LinkisBot */
	{ "linko", MATCH_SUB, B, CUA },	/* linko */
	{ "linkpadbot", MATCH_SUB, B, CUA | MAT },	/* LinkpadBot */
	{ "linkreader/", MATCH_SUB, B, CUA },	/* linkReader\/ */
	{ "linktiger", MATCH_SUB, B, CUA | ISB },	/* LinkTiger */
	{ "linkupbot", MATCH_SUB, B, CUA },	/* LinkupBot */
	{ "linkwalker", MATCH_SUB, B, CUA | MAT },	/* LinkWalker\/ */
	{ "linux gnu (cow)", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "lipperhey", MATCH_SUB, B, CUA },	/* lipperhey */
	{ "listgembot", MATCH_SUB, B, CUA },	/* ListGemBot */
	{ "livejournal.com", MATCH_SUB, B, MAT },	/* LiveJournal\.com */
	{ "livelapbot", MATCH_SUB, B, CUA },	/* Livelap[bB]ot */
	{ "lmao", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "loc.gov/programs/web-archiving", MATCH_SUB, B, CUA },	/* loc\.gov\/programs\/web-archiving */
	{ "logicmonitor", MATCH_SUB, B, CUA },	/* LogicMonitor */
	{ "lolisec", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "lookup", MATCH_WORD, B, MAT },	/* (generic) lookup */
	{ "loomlybot", MATCH_SUB, B, CUA },	/* LoomlyBot */
	{ "loopimprovements.com", MATCH_SUB, B, CUA },	/* loopimprovements\.com */
	{ "lssbot", MATCH_SUB, B, CUA },	/* lssbot */
	{ "ltx71", MATCH_SUB, B, CUA | MAT },	/* ltx71 */
	{ "lumtelbot", MATCH_SUB, B, MAT },	/* LumtelBot */
	{ "lwp-trivial", MATCH_SUB, B, CUA },	/* lwp-trivial */
	{ "lycos", MATCH_SUB, B, MAT },	/* lycos */
	{ "macocu", MATCH_SUB, B, CUA | MAT },	/* MaCoCu */
	{ "macrobondbot", MATCH_SUB, B, CUA },	/* Macrobondbot */
	{ "madbbot", MATCH_SUB, B, MAT },	/* MADBbot */
	{ "magellan", MATCH_SUB, B, CUA | MAT },	/* Magellan */
	{ "magibot", MATCH_SUB, B, CUA },	/* MagiBot */
	{ "magicsearchdev/", MATCH_SUB, B, CUA },	/* magicsearchdev\/ */
	{ "magnet.me-web/", MATCH_SUB, B, CUA },	/* Magnet\.me-web\/ */
	{ "magnetmebot", MATCH_SUB, B, CUA },	/* MagnetmeBot */
	{ "magpierss", MATCH_SUB, B, CUA | MAT },	/* MagpieRSS */
	{ "magus bot", MATCH_SUB, B, CUA },	/* Magus Bot */
	{ "mail.ru", MATCH_SUB, B, CUA | ISB | MAT },	/* mail\.ru */
	{ "mailchimp", MATCH_SUB, B, CUA },	/* MailChimp */
	{ "mainwp/", MATCH_SUB, B, CUA },	/* MainWP\/ */
	{ "make/", MATCH_SUB, B, CUA },	/* Make\/ */
	{ "makemerrybot", MATCH_SUB, B, MAT },	/* MakeMerryBot */
	{ "managewp", MATCH_SUB, B, CUA },	/* ManageWP */
	{ "manus-user", MATCH_SUB, B, CUA | MAT },	/* Manus-User */
	{ "mappydata", MATCH_SUB, B, CUA },	/* mappydata */
	{ "mariadb-mysql-kbs-bot", MATCH_SUB, B, MAT },	/* mariadb-mysql-kbs-bot */
	{ "marketgoo", MATCH_SUB, B, CUA | ISB | MAT },	/* MarketGoo\/ */
	{ "marketingminer", MATCH_SUB, B, CUA },	/* MarketingMiner */
	{ "masjesu", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "mastodon", MATCH_SUB, B, CUA },	/* Mastodon */
	{ "matchorysearch", MATCH_SUB, B, CUA },	/* MatchorySearch */
	{ "matomo/", MATCH_SUB, B, MAT },	/* Matomo/[\d.]+ */
	{ "mauibot", MATCH_SUB, B, CUA },	/* MauiBot */
	{ "mavifinds", MATCH_SUB, B, CUA },	/* Mavifinds */
	{ "meanpathbot", MATCH_SUB, B, MAT },	/* meanpathbot */
	{ "measure", MATCH_SUB, B, CUA | ISB | MAT },	/* Web Measure\/ */
	{ "mechanize", MATCH_SUB, B, CUA },	/* [mM]echanize */
	{ "medialogiabot", MATCH_SUB, B, CUA },	/* MedialogiaBot */
	{ "mediapartners-google", MATCH_SUB, B, CUA | MAT },	/* Mediapartners-Google */
	{ "mediatoolkitbot", MATCH_SUB, B, CUA | MAT },	/* Mediatoolkitbot */
	{ "mediumbot", MATCH_SUB, B, MAT },	/* Mediumbot */
	{ "megaindex", MATCH_SUB, B, CUA | MAT },	/* MegaIndex */
	{ "meltwaternews", MATCH_SUB, B, CUA | MAT },	/* MeltwaterNews */
	{ "memorybot", MATCH_SUB, B, CUA },	/* memorybot */
	{ "meta-externalads", MATCH_SUB, B, CUA | MAT },	/* meta-externalads\/ */
	{ "meta-externalagent", MATCH_SUB, B, MAT },	/* meta-externalagent */
	{ "meta-webindexer", MATCH_SUB, B, CUA | MAT },	/* meta-webindexer */
	{ "metajobbot", MATCH_SUB, B, CUA | MAT },	/* MetaJobBot */
	{ "metauri", MATCH_SUB, B, CUA },	/* MetaURI */
	{ "metorik", MATCH_SUB, B, CUA },	/* Metorik */
	{ "mgidbot", MATCH_SUB, B, CUA },	/* MgidBot */
	{ "microadbot", MATCH_SUB, B, MAT },	/* MicroAdBot */
	{ "microsoft bits", MATCH_PREFIX, B, ISB },	/* ^microsoft bits */
	{ "microsoft-flow/", MATCH_SUB, B, MAT },	/* microsoft-flow/ */
	{ "mindupbot", MATCH_SUB, B, CUA },	/* mindUpBot */
	{ "miniature.io", MATCH_SUB, B, CUA | MAT },	/* Miniature\.io\/ */
	{ "miniflux/", MATCH_SUB, B, CUA },	/* Miniflux\/ */
	{ "mirrorweb.com", MATCH_SUB, B, CUA },	/* mirrorweb\.com */
	{ "mistralai-index", MATCH_SUB, B, MAT },	/* MistralAI-Index */
	{ "mistralai-user", MATCH_SUB, B, CUA | MAT },	/* MistralAI-User */
	{ "mixnode", MATCH_SUB, B, CUA | MAT },	/* MixnodeCache\/ */
	{ "mixrankbot", MATCH_SUB, B, CUA | MAT },	/* MixrankBot */
	{ "mj12bot", MATCH_SUB, B, CUA | MAT },	/* MJ12bot */
	{ "mlbot", MATCH_SUB, B, CUA },	/* mlbot */
	{ "mnogosearch", MATCH_SUB, B, MAT },	/* Mnogosearch */
	{ "moatbot", MATCH_SUB, B, CUA },	/* moatbot */
	{ "modernizebot", MATCH_SUB, B, CUA },	/* ModernizeBot */
	{ "modularconnector/", MATCH_SUB, B, CUA },	/* ModularConnector\/ */
	{ "mogimogi", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "mojeekbot", MATCH_SUB, B, MAT },	/* MojeekBot */
	{ "mollie http client", MATCH_SUB, B, CUA },	/* Mollie HTTP client */
	{ "monibot", MATCH_SUB, B, CUA },	/* Monibot */
	{ "monitis -", MATCH_SUB, B, CUA },	/* monitis - */
	{ "monitor", MATCH_WORD, B, CUA | ISB | MAT },	/* GotSiteMonitor\.com */
	{ "monitoring360bot", MATCH_SUB, B, MAT },	/* monitoring360bot */
	{ "monspark/", MATCH_SUB, B, CUA },	/* MonSpark\/ */
	{ "montastic-monitor", MATCH_SUB, B, CUA | MAT },	/* montastic-monitor */
	{ "montasticmonitor", MATCH_SUB, B, CUA },	/* MontasticMonitor */
	{ "moodlebot", MATCH_SUB, B, CUA },	/* MoodleBot */
	{ "moreover", MATCH_SUB, B, CUA },	/* Moreover */
	{ "morningscore", MATCH_SUB, B, MAT },	/* Morningscore */
	{ "movabletype", MATCH_PREFIX, B, ISB },	/* ^movabletype */
	{ "mozilliqa", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "msnbot", MATCH_SUB, B, CUA | MAT },	/* msnbot */
	{ "msrbot", MATCH_SUB, B, CUA | MAT },	/* msrbot */
	{ "muckrack", MATCH_SUB, B, CUA | MAT },	/* MuckRack */
	{ "multi-country-domains", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "multiviewbot", MATCH_SUB, B, CUA },	/* Multiviewbot */
	{ "munin", MATCH_SUB, B, MAT },	/* munin */
	{ "muscatferret", MATCH_SUB, B, MAT },	/* MuscatFerret */
	{ "mxtoolbox", MATCH_SUB, B, CUA },	/* MxToolbox */
	{ "my-tiny-bot", MATCH_SUB, B, CUA },	/* my-tiny-bot */
	{ "najdu.s.holubem.eu", MATCH_SUB, B, MAT },	/* najdu\.s\.holubem\.eu */
	{ "nalezenczbot", MATCH_SUB, B, MAT },	/* NalezenCzBot */
	{ "nameofagent", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "nanointeractive", MATCH_SUB, B, CUA },	/* NanoInteractive */
	{ "napbot", MATCH_SUB, B, CUA },	/* NapBot */
	{ "naver blog rssbot", MATCH_SUB, B, CUA },	/* NAVER Blog Rssbot */
	{ "naverbot", MATCH_SUB, B, CUA },	/* NaverBot */
	{ "naverjapan", MATCH_SUB, B, MAT },	/* Yeti|NaverJapan|AdsBot-Naver */
	{ "navermailapp", MATCH_PREFIX, B, ISB },	/* ^navermailapp */
	{ "nbertaupete95", MATCH_SUB, B, CUA | MAT },	/* nbertaupete95 */
	{ "neevabot", MATCH_SUB, B, CUA | MAT },	/* Neevabot */
	{ "nerdbynature.bot", MATCH_SUB, B, CUA },	/* NerdByNature\.Bot */
	{ "nerdybot", MATCH_SUB, B, CUA },	/* nerdybot */
	{ "nessus", MATCH_SUB, B, CUA },	/* Nessus */
	{ "nestdaddybot", MATCH_SUB, B, CUA },	/* NestDaddybot */
	{ "netapi", MATCH_SUB, B, CUA },	/* NetAPI */
	{ "netcraftsurveyagent", MATCH_SUB, B, CUA | MAT },	/* NetcraftSurveyAgent */
	{ "netlyzer fastprobe", MATCH_SUB, B, MAT },	/* NetLyzer FastProbe */
	{ "netsurf", MATCH_PREFIX, B, ISB },	/* ^netsurf */
	{ "netsystemsresearch", MATCH_SUB, B, CUA | MAT },	/* NetSystemsResearch */
	{ "nettrack", MATCH_SUB, B, MAT },	/* NetTrack */
	{ "netumo", MATCH_SUB, B, CUA },	/* Netumo|netumo */
	{ "netvibes", MATCH_SUB, B, CUA | MAT },	/* Netvibes */
	{ "netvigie", MATCH_SUB, B, CUA },	/* NETVIGIE */
	{ "netzzappen", MATCH_SUB, B, MAT },	/* NETZZAPPEN */
	{ "neustar wpm", MATCH_SUB, B, ISB },	/* neustar wpm */
	{ "new york times newsgathering", MATCH_SUB, B, CUA },	/* New York Times Newsgathering */
	{ "newsai/", MATCH_SUB, B, CUA },	/* newsai\/ */
	{ "newsblur", MATCH_SUB, B, CUA | MAT },	/* NewsBlur */
	{ "newsgatoronline", MATCH_SUB, B, MAT },	/* NewsGatorOnline */
	{ "newsharecounts", MATCH_SUB, B, CUA },	/* newsharecounts */
	{ "newslitbot", MATCH_SUB, B, MAT },	/* Newslitbot */
	{ "newsnow/", MATCH_SUB, B, CUA },	/* NewsNow\/ */
	{ "newspaper", MATCH_SUB, B, CUA | MAT },	/* newspaper\/ */
	{ "newsroom.bi", MATCH_SUB, B, CUA },	/* NewsRoom\.BI */
	{ "nextcloud", MATCH_SUB, B, CUA },	/* NextCloud */
	{ "nicheindex", MATCH_SUB, B, CUA },	/* NicheIndex */
	{ "niggaballs", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "niki-bot", MATCH_SUB, B, CUA },	/* niki-bot */
	{ "nikto", MATCH_SUB, B, CUA },	/* Nikto */
	{ "nimbostratus-bot", MATCH_SUB, B, CUA | MAT },	/* Nimbostratus-Bot */
	{ "ning/", MATCH_SUB, B, CUA },	/* NING\/ */
	{ "ninja bot", MATCH_SUB, B, CUA },	/* NINJA bot */
	{ "nitro-", MATCH_SUB, B, CUA },	/* Nitro- */
	{ "nixstatsbot", MATCH_SUB, B, CUA },	/* NIXStatsbot */
	{ "nlnz_iaharvester", MATCH_SUB, B, CUA },	/* NLNZ_IAHarvester */
	{ "nlux_iaharvester", MATCH_SUB, B, CUA },	/* NLUX_IAHarvester */
	{ "nmap scripting engine", MATCH_SUB, B, CUA | MAT },	/* Nmap Scripting Engine */
	{ "noahbot", MATCH_SUB, B, CUA },	/* NoahBot */
	{ "node", MATCH_WORD, B, CUA | ISB | MAT },	/* node-fetch */
	{ "nodeping", MATCH_SUB, B, CUA | MAT },	/* NodePing */
	{ "noibu", MATCH_SUB, B, CUA },	/* Noibu */
	{ "nooshub/", MATCH_SUB, B, CUA },	/* Nooshub\/ */
	{ "notabot", MATCH_SUB, B, CUA },	/* Notabot */
	{ "notifyninja", MATCH_SUB, B, MAT },	/* notifyninja.+monitoring */
	{ "notion/", MATCH_SUB, B, CUA },	/* Notion\/ */
	{ "novaact", MATCH_SUB, B, CUA | MAT },	/* Novaact\/ */
	{ "novellum", MATCH_SUB, B, CUA },	/* Novellum */
	{ "npbot", MATCH_SUB, B, MAT },	/* NPBot */
	{ "nrsbot", MATCH_SUB, B, MAT },	/* nrsbot|NetResearchServer */
	{ "nsfw-go-placeholder-filter", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "ntentbot", MATCH_SUB, B, CUA },	/* NTENTbot */
	{ "nuhk", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "nutch", MATCH_SUB, B, CUA | ISB | MAT },	/* Nutch */
	{ "nuzzel", MATCH_SUB, B, CUA | MAT },	/* Nuzzel */
	{ "nvd0rz", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "nvdorz", MATCH_SUB, B, CUA | MAT },	/* nvdorz */
	{ "nyt_scraping", MATCH_SUB, B, CUA },	/* nyt_scraping */
	{ "oai-searchbot", MATCH_SUB, B, CUA | MAT },	/* OAI-SearchBot */
	{ "obot", MATCH_SUB, B, CUA | MAT },	/* woobot */
	{ "observepoint", MATCH_SUB, B, CUA },	/* ObservePoint */
	{ "obsrvr.net", MATCH_SUB, B, MAT },	/* obsrvr\.net */
	{ "ocarinabot", MATCH_SUB, B, CUA },	/* Ocarinabot */
	{ "octopus ", MATCH_PREFIX, B, MAT },	/* Octopus [\d.]+ */
	{ "odin;", MATCH_SUB, B, CUA },	/* Odin; */
	{ "oegp", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "offbyone", MATCH_SUB, B, ISB },	/* offbyone */
	{ "officestorebot", MATCH_SUB, B, CUA },	/* officestorebot */
	{ "offline", MATCH_PREFIX, B, ISB },	/* ^offline */
	{ "offline explorer", MATCH_SUB, B, CUA },	/* Offline Explorer */
	{ "ohdear.app", MATCH_SUB, B, MAT },	/* ohdear\.app */
	{ "ohdear/", MATCH_SUB, B, CUA },	/* OhDear\/ */
	{ "omgili", MATCH_SUB, B, CUA | MAT },	/* omgili */
	{ "omnisend/", MATCH_SUB, B, CUA },	/* Omnisend\/ */
	{ "omtrbot", MATCH_SUB, B, MAT },	/* OmtrBot */
	{ "onalyticabot", MATCH_SUB, B, MAT },	/* OnalyticaBot */
	{ "onetrust", MATCH_SUB, B, CUA },	/* OneTrust */
	{ "online-webceo-bot", MATCH_SUB, B, CUA | MAT },	/* online-webceo-bot */
	{ "openai/", MATCH_PREFIX, B, ISB },	/* ^openai/ */
	{ "opencode-smartfetch", MATCH_SUB, B, CUA },	/* opencode-smartfetch */
	{ "opengraph.io", MATCH_SUB, B, CUA | MAT },	/* OpenGraph\.io\/ */
	{ "opengraphcheck", MATCH_SUB, B, CUA },	/* OpenGraphCheck */
	{ "openhosebot", MATCH_SUB, B, CUA },	/* OpenHoseBot */
	{ "openrss", MATCH_SUB, B, CUA },	/* OpenRSS */
	{ "opentheboxbot", MATCH_SUB, B, CUA },	/* OpenTheBoxBot */
	{ "openvas", MATCH_SUB, B, CUA | ISB },	/* OpenVAS */
	{ "operator/", MATCH_SUB, B, CUA },	/* Operator\/ */
	{ "optimize", MATCH_SUB, B, CUA | ISB | MAT },	/* Optimizer\) */
	{ "orangebot", MATCH_SUB, B, MAT },	/* OrangeBot|VoilaBot */
	{ "orlightbot", MATCH_SUB, B, MAT },	/* OrlightBot */
	{ "ort/", MATCH_PREFIX, B, ISB },	/* \bort/ */
	{ "ortc.me", MATCH_SUB, B, MAT },	/* ORTc\.me */
	{ "oszkbot", MATCH_SUB, B, MAT },	/* OSZKbot */
	{ "outbrain", MATCH_SUB, B, CUA | MAT },	/* outbrain */
	{ "outclicksbot", MATCH_SUB, B, CUA },	/* OutclicksBot */
	{ "overcast/", MATCH_SUB, B, CUA | MAT },	/* Overcast\/ */
	{ "owler", MATCH_SUB, B, CUA | ISB | MAT },	/* ;Owler */
	{ "page modified pinger", MATCH_SUB, B, MAT },	/* Page Modified Pinger */
	{ "page2rss", MATCH_SUB, B, CUA },	/* page2rss */
	{ "pageburst", MATCH_SUB, B, ISB | MAT },	/* pageburst */
	{ "pagepeeker", MATCH_SUB, B, CUA | MAT },	/* PagePeeker\/ */
	{ "pagespeed", MATCH_SUB, B, CUA | ISB },	/* Pagespeed\/ */
	{ "pagething", MATCH_SUB, B, CUA | MAT },	/* PageThing */
	{ "paloaltonetworks.com", MATCH_SUB, B, MAT },	/* (?:expanseinc|paloaltonetworks)\.com */
	{ "pandalytics", MATCH_SUB, B, CUA | MAT },	/* Pandalytics */
	{ "pangubot", MATCH_SUB, B, CUA | MAT },	/* PanguBot */
	{ "panopta", MATCH_SUB, B, CUA },	/* Panopta */
	{ "panscient", MATCH_SUB, B, CUA | MAT },	/* panscient */
	{ "paperlibot", MATCH_SUB, B, CUA | MAT },	/* PaperLiBot */
	{ "paqlebot", MATCH_SUB, B, MAT },	/* Paqlebot */
	{ "parselysharesbot", MATCH_SUB, B, CUA },	/* ParselySharesBot */
	{ "parser", MATCH_SUB, B, CUA | ISB | MAT },	/* GoParserBot */
	{ "paypal ipn", MATCH_SUB, B, MAT },	/* PayPal IPN */
	{ "paypal/", MATCH_SUB, B, CUA },	/* PayPal\/ */
	{ "pcore-http", MATCH_SUB, B, CUA },	/* Pcore-HTTP */
	{ "pdrl.fm", MATCH_PREFIX, B, MAT },	/* ^pdrl\.fm */
	{ "penthouse critical path css generator", MATCH_SUB, B, CUA },	/* Penthouse Critical Path CSS Generator */
	{ "perplexitybot", MATCH_SUB, B, MAT },	/* PerplexityBot */
	{ "perplexityuser", MATCH_SUB, B, CUA },	/* PerplexityUser */
	{ "petalbot", MATCH_SUB, B, CUA | MAT },	/* PetalBot */
	{ "phantomas/", MATCH_SUB, B, MAT },	/* phantomas/ */
	{ "phantomjs", MATCH_SUB, B, CUA | ISB },	/* PhantomJS */
	{ "phindbot", MATCH_SUB, B, CUA },	/* PhindBot */
	{ "php", MATCH_PREFIX, B, CUA | ISB },	/* ^PHP-Curl-Class */
	{ "phpmyadmin", MATCH_SUB, B, MAT },	/* phpMyAdmin */
	{ "phpneuralnetwork", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "phxbot", MATCH_SUB, B, CUA },	/* PhxBot */
	{ "pigafetta", MATCH_SUB, B, MAT },	/* Pigafetta */
	{ "pingadmin.ru", MATCH_SUB, B, CUA | MAT },	/* PingAdmin\.Ru\/ */
	{ "pingdom", MATCH_SUB, B, CUA | ISB | MAT },	/* [pP]ingdom */
	{ "pingping.io/", MATCH_SUB, B, CUA },	/* pingping\.io\/ */
	{ "pipericbot", MATCH_SUB, B, MAT },	/* PipericBot */
	{ "piplbot", MATCH_SUB, B, CUA | MAT },	/* PiplBot */
	{ "pixalate.com", MATCH_SUB, B, CUA },	/* Pixalate\.com */
	{ "plagawarebot", MATCH_SUB, B, CUA },	/* PlagAwareBot */
	{ "platform-fingerprint", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "playstore-google", MATCH_SUB, B, CUA | MAT },	/* PlayStore-Google */
	{ "playwright", MATCH_SUB, B, CUA | ISB },	/* Playwright */
	{ "plesk screenshot bot", MATCH_SUB, B, CUA | MAT },	/* Plesk screenshot bot */
	{ "plukkie", MATCH_SUB, B, MAT },	/* Plukkie */
	{ "pocketcasts/", MATCH_SUB, B, CUA },	/* PocketCasts\/ */
	{ "pocketimagecache", MATCH_SUB, B, MAT },	/* Pocket(?:ImageCache|Parser) */
	{ "podimo", MATCH_SUB, B, CUA },	/* Podimo */
	{ "poduptime", MATCH_SUB, B, CUA },	/* Poduptime */
	{ "poggio-citations", MATCH_SUB, B, CUA | MAT },	/* Poggio-Citations */
	{ "pomothy-bot", MATCH_SUB, B, CUA },	/* Pomothy-Bot */
	{ "pompos", MATCH_SUB, B, MAT },	/* Pompos */
	{ "postman", MATCH_PREFIX, B, ISB },	/* ^postman */
	{ "postrank", MATCH_SUB, B, CUA },	/* postrank */
	{ "potions/", MATCH_SUB, B, CUA },	/* Potions\/ */
	{ "powermarks", MATCH_SUB, B, ISB },	/* powermarks */
	{ "pr-cy.ru", MATCH_SUB, B, CUA },	/* PR-CY\.RU */
	{ "prerender", MATCH_SUB, B, MAT },	/* Prerender */
	{ "presearch.com", MATCH_SUB, B, MAT },	/* presearch[._]com */
	{ "presearch_com", MATCH_SUB, B, MAT },	/* presearch[._]com */
	{ "pressenginebot", MATCH_SUB, B, CUA },	/* PressEngineBot */
	{ "preview", MATCH_SUB, B, CUA | ISB | MAT },	/* BingPreview\/ */
	{ "primalbot", MATCH_SUB, B, CUA },	/* Primalbot */
	{ "printfriendly.com", MATCH_SUB, B, CUA },	/* PrintFriendly\.com */
	{ "privacyawarebot", MATCH_SUB, B, CUA },	/* PrivacyAwareBot */
	{ "privacypolicybot", MATCH_SUB, B, MAT },	/* (ABEvalBot|AdsTxtCrawlerTP|ArtelLeadRadar|DNSResearchBot|... */
	{ "pro-sitemaps/", MATCH_SUB, B, CUA },	/* Pro-Sitemaps\/ */
	{ "probe", MATCH_WORD, B, MAT },	/* (generic) probe */
	{ "probely", MATCH_SUB, B, CUA | MAT },	/* ProbelySPDR\/ */
	{ "productfinder", MATCH_SUB, B, CUA | ISB | MAT },	/* GeedoShopProductFinder */
	{ "productlookoutbot", MATCH_SUB, B, MAT },	/* (ABEvalBot|AdsTxtCrawlerTP|ArtelLeadRadar|DNSResearchBot|... */
	{ "project-resonance", MATCH_SUB, B, MAT },	/* Project-Resonance */
	{ "project_patchwatch", MATCH_SUB, B, MAT },	/* project_patchwatch */
	{ "prometheus", MATCH_SUB, B, MAT },	/* Prometheus */
	{ "prorata", MATCH_SUB, B, MAT },	/* ProRata */
	{ "prospectingstudio", MATCH_SUB, B, ISB | MAT },	/* prospectingstudio */
	{ "protopage/", MATCH_SUB, B, CUA },	/* Protopage\/ */
	{ "proximic", MATCH_SUB, B, CUA | MAT },	/* proximic */
	{ "proxy", MATCH_SUB, B, CUA | ISB | MAT },	/* imgproxy\/ */
	{ "prtg network monitor", MATCH_SUB, B, CUA | MAT },	/* PRTG Network Monitor */
	{ "ps_daily/", MATCH_SUB, B, CUA | ISB },	/* PS_Daily\/ */
	{ "psbot", MATCH_SUB, B, CUA | MAT },	/* psbot */
	{ "ptst ", MATCH_SUB, B, ISB },	/* ptst[ /]\d */
	{ "ptst/", MATCH_SUB, B, CUA | ISB | MAT },	/* (^| )PTST\/ */
	{ "pulsepoint ", MATCH_SUB, B, CUA },	/* Pulsepoint  */
	{ "pulsetic.com", MATCH_SUB, B, CUA },	/* pulsetic\.com */
	{ "punkmap", MATCH_SUB, B, MAT },	/* PunkMap */
	{ "puppeteer", MATCH_SUB, B, CUA },	/* Puppeteer */
	{ "purebot", MATCH_SUB, B, CUA },	/* purebot */
	{ "pwabuilderhttpagent", MATCH_SUB, B, CUA },	/* PWABuilderHttpAgent */
	{ "python", MATCH_PREFIX, B, ISB },	/* ^python */
	{ "python-opengraph", MATCH_SUB, B, CUA },	/* python-opengraph */
	{ "python-requests", MATCH_SUB, B, CUA },	/* python-requests */
	{ "qcbot", MATCH_SUB, B, CUA },	/* qcbot */
	{ "qualifiedbot", MATCH_SUB, B, MAT },	/* QualifiedBot */
	{ "qualys", MATCH_SUB, B, CUA },	/* Qualys */
	{ "quantcastbot", MATCH_SUB, B, MAT },	/* Quantcastbot */
	{ "qwantify", MATCH_SUB, B, CUA | MAT },	/* Qwantify */
	{ "qwarrybot", MATCH_SUB, B, CUA },	/* Qwarrybot */
	{ "r00ts3c-owned-you", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "rackspace monitoring/", MATCH_SUB, B, CUA },	/* Rackspace Monitoring\/ */
	{ "radar", MATCH_SUB, B, CUA | ISB | MAT },	/* iubenda-radar\/ */
	{ "rainmeter", MATCH_SUB, B, MAT },	/* Rainmeter */
	{ "rakuten image extraction bot", MATCH_SUB, B, CUA },	/* Rakuten Image extraction bot */
	{ "ramblermail", MATCH_SUB, B, MAT },	/* RamblerMail */
	{ "rank", MATCH_PREFIX, B, ISB },	/* ^rank */
	{ "rankactivelinkbot", MATCH_SUB, B, CUA },	/* RankActiveLinkBot */
	{ "rankpulsebot", MATCH_SUB, B, MAT },	/* RankPulseBot */
	{ "rawweb-bot", MATCH_SUB, B, CUA },	/* rawweb-bot */
	{ "re-re studio", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "read", MATCH_PREFIX, B, ISB },	/* ^read */
	{ "read%20later", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "readable/", MATCH_SUB, B, CUA | ISB },	/* Readable\/ */
	{ "recon-engine", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "recordedfuture", MATCH_SUB, B, MAT },	/* RecordedFuture */
	{ "red/", MATCH_SUB, B, CUA },	/* RED\/ */
	{ "redekenbot", MATCH_SUB, B, MAT },	/* RedekenBot */
	{ "reed", MATCH_PREFIX, B, ISB },	/* ^reed */
	{ "reelevant/", MATCH_SUB, B, CUA },	/* Reelevant\/ */
	{ "refindbot", MATCH_SUB, B, CUA },	/* Refindbot */
	{ "regionstuttgartbot", MATCH_SUB, B, CUA },	/* RegionStuttgartBot */
	{ "remove.bg/", MATCH_SUB, B, CUA | ISB },	/* remove\.bg\/ */
	{ "renovatebot", MATCH_SUB, B, MAT },	/* RenovateBot */
	{ "replicate-bot", MATCH_SUB, B, MAT },	/* Replicate-Bot */
	{ "repolookoutbot", MATCH_SUB, B, CUA | MAT },	/* RepoLookoutBot */
	{ "report runner", MATCH_EXACT, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "request-promise", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "research jlu", MATCH_SUB, B, MAT },	/* Research JLU */
	{ "research@pdrlabs.net", MATCH_SUB, B, MAT },	/* research@pdrlabs\.net */
	{ "researchbot", MATCH_SUB, B, CUA | MAT },	/* ResearchBot */
	{ "researchcyber.net", MATCH_SUB, B, MAT },	/* researchcyber\.net */
	{ "resolver", MATCH_WORD, B, MAT },	/* (generic) resolver */
	{ "rest", MATCH_PREFIX, B, ISB },	/* ^rest */
	{ "retool/", MATCH_SUB, B, CUA },	/* Retool\/ */
	{ "retriever", MATCH_SUB, B, ISB },	/* retriever */
	{ "retrolistecom/", MATCH_SUB, B, CUA },	/* RetroListeCOM\/ */
	{ "reverseengineeringbot", MATCH_SUB, B, CUA },	/* ReverseEngineeringBot */
	{ "revolt", MATCH_PREFIX, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "revvimgort/", MATCH_SUB, B, CUA },	/* RevvimGort\/ */
	{ "reward-gateway", MATCH_SUB, B, CUA },	/* reward-gateway */
	{ "rexx;", MATCH_SUB, B, ISB },	/* rexx; */
	{ "ridderbot", MATCH_SUB, B, CUA },	/* RidderBot */
	{ "riddler", MATCH_SUB, B, MAT },	/* Riddler */
	{ "rigor", MATCH_SUB, B, CUA | ISB },	/* Rigor\) */
	{ "rivva", MATCH_SUB, B, CUA },	/* Rivva */
	{ "robozilla", MATCH_SUB, B, MAT },	/* (ABEvalBot|AdsTxtCrawlerTP|ArtelLeadRadar|DNSResearchBot|... */
	{ "rocketmonitor", MATCH_SUB, B, MAT },	/* rocketmonitor(?:bot)? */
	{ "rogerbot", MATCH_SUB, B, CUA | MAT },	/* rogerbot */
	{ "roi hunter", MATCH_SUB, B, MAT },	/* ROI Hunter */
	{ "root slut", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "rootevidence", MATCH_SUB, B, MAT },	/* RootEvidence */
	{ "rss", MATCH_PREFIX, B, ISB },	/* ^rss */
	{ "rss", MATCH_WORD, B, CUA | ISB },	/* MonitoRSS\/ */
	{ "rss2tg", MATCH_SUB, B, CUA },	/* rss2tg */
	{ "rssapi/", MATCH_SUB, B, CUA },	/* RSSAPI\/ */
	{ "rssingbot", MATCH_SUB, B, CUA },	/* RSSingBot */
	{ "rssreaderbot", MATCH_SUB, B, CUA },	/* RssReaderBot */
	{ "runpod-bot", MATCH_SUB, B, MAT },	/* RunPod-Bot */
	{ "ryowlengine", MATCH_SUB, B, MAT },	/* RyowlEngine */
	{ "rytebot", MATCH_SUB, B, CUA },	/* RyteBot */
	{ "s4a/", MATCH_SUB, B, CUA },	/* s4a\/ */
	{ "sabsimbot", MATCH_SUB, B, MAT },	/* SabsimBot */
	{ "safednsbot", MATCH_SUB, B, CUA | MAT },	/* SafeDNSBot */
	{ "safersoftwashleadgen", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "salesforce.com", MATCH_SUB, B, CUA },	/* Salesforce\.com */
	{ "sbider", MATCH_SUB, B, MAT },	/* SBIder */
	{ "sbintuitionsbot", MATCH_SUB, B, MAT },	/* SBIntuitionsBot */
	{ "sbl-bot", MATCH_SUB, B, CUA },	/* SBL-BOT */
	{ "scamadviserexternalhit", MATCH_SUB, B, MAT },	/* ScamadviserExternalHit */
	{ "scan", MATCH_SUB, B, CUA | ISB | MAT },	/* l9scan */
	{ "scoop.it/", MATCH_SUB, B, CUA },	/* Scoop\.it\/ */
	{ "scooter", MATCH_SUB, B, MAT },	/* scooter */
	{ "scope3", MATCH_SUB, B, CUA },	/* Scope3 */
	{ "scoutjet", MATCH_SUB, B, CUA },	/* ScoutJet */
	{ "scrape", MATCH_SUB, B, CUA | ISB | MAT },	/* SimpleScraper */
	{ "scraping@nytimes.com", MATCH_SUB, B, CUA },	/* scraping@nytimes\.com */
	{ "scrapy", MATCH_SUB, B, CUA | MAT },	/* Scrapy */
	{ "screeenly-bot", MATCH_SUB, B, CUA },	/* screeenly-bot */
	{ "screenerbot", MATCH_SUB, B, MAT },	/* ScreenerBot */
	{ "scribdbot", MATCH_SUB, B, CUA },	/* scribdbot */
	{ "scrubby", MATCH_SUB, B, CUA | MAT },	/* Scrubby */
	{ "scrunchbot", MATCH_SUB, B, CUA },	/* Scrunchbot */
	{ "search.marginalia.nu", MATCH_SUB, B, CUA | MAT },	/* search\.marginalia\.nu */
	{ "searchatlas", MATCH_SUB, B, CUA },	/* SearchAtlas */
	{ "searcher", MATCH_WORD, B, MAT },	/* (generic) searcher */
	{ "searcherweb", MATCH_SUB, B, CUA | MAT },	/* Searcherweb */
	{ "searcherxweb", MATCH_SUB, B, CUA | MAT },	/* Searcherxweb */
	{ "searchexpress", MATCH_SUB, B, CUA | MAT },	/* SearchExpress */
	{ "searchsight", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "sectigo dcv", MATCH_SUB, B, MAT },	/* Sectigo DCV|acme\.sectigo\.com */
	{ "securityheaders", MATCH_SUB, B, CUA | ISB | MAT },	/* SecurityHeaders */
	{ "secweb-sectxt", MATCH_SUB, B, MAT },	/* (ABEvalBot|AdsTxtCrawlerTP|ArtelLeadRadar|DNSResearchBot|... */
	{ "seekbot", MATCH_PREFIX, B, CUA },	/* ^Seekbot */
	{ "seekport", MATCH_SUB, B, CUA | MAT },	/* Seekport */
	{ "seewithkids", MATCH_SUB, B, CUA },	/* seewithkids */
	{ "selenium", MATCH_SUB, B, CUA | ISB },	/* Selenium */
	{ "semaltbot", MATCH_SUB, B, MAT },	/* semaltbot */
	{ "semantic-visions", MATCH_SUB, B, CUA | MAT },	/* semantic-visions */
	{ "semanticbot", MATCH_SUB, B, CUA },	/* semanticbot */
	{ "semanticscholarbot", MATCH_SUB, B, CUA | MAT },	/* SemanticScholarBot */
	{ "sempi.tech", MATCH_SUB, B, CUA },	/* sempi\.tech */
	{ "semrushbot", MATCH_SUB, B, CUA | MAT },	/* S[eE][mM]rushBot */
	{ "sendgrid event api", MATCH_SUB, B, CUA },	/* SendGrid Event API */
	{ "sensikabot", MATCH_SUB, B, MAT },	/* SensikaBot */
	{ "sentibot", MATCH_SUB, B, CUA | MAT },	/* SentiBot */
	{ "sentry", MATCH_PREFIX, B, CUA | MAT },	/* (^| )sentry\/ */
	{ "seo4ajax.com", MATCH_SUB, B, CUA },	/* seo4ajax\.com */
	{ "seobility", MATCH_SUB, B, CUA | MAT },	/* SeobilityBot */
	{ "seocherrybot", MATCH_SUB, B, MAT },	/* (ABEvalBot|AdsTxtCrawlerTP|ArtelLeadRadar|DNSResearchBot|... */
	{ "seoengbot", MATCH_SUB, B, MAT },	/* SEOENG(?:World)?Bot */
	{ "seokicks", MATCH_SUB, B, CUA | MAT },	/* SEOkicks */
	{ "seolizer", MATCH_SUB, B, CUA },	/* SEOlizer */
	{ "seolyt", MATCH_SUB, B, CUA | MAT },	/* seoLyt */
	{ "seositecheckup", MATCH_SUB, B, CUA },	/* SeoSiteCheckup */
	{ "seostar.co", MATCH_SUB, B, CUA },	/* seostar\.co */
	{ "seoulbot", MATCH_SUB, B, CUA },	/* SeoulBot */
	{ "sequelwp", MATCH_SUB, B, CUA },	/* SequelWP */
	{ "serankingbacklinksbot", MATCH_SUB, B, CUA | MAT },	/* SERankingBacklinksBot */
	{ "serendeputybot", MATCH_SUB, B, CUA | MAT },	/* SerendeputyBot */
	{ "serpreputationmanagementagent", MATCH_SUB, B, MAT },	/* SerpReputationManagementAgent */
	{ "serpstatbot", MATCH_SUB, B, MAT },	/* serpstatbot */
	{ "serptimizerbot", MATCH_SUB, B, CUA },	/* SERPtimizerBot */
	{ "server", MATCH_SUB, B, CUA | ISB | MAT },	/* ServerDensity */
	{ "seznam screenshot-generator", MATCH_SUB, B, MAT },	/* SeznamBot|SklikBot|Seznam screenshot-generator */
	{ "seznambot", MATCH_SUB, B, CUA | MAT },	/* SeznamBot */
	{ "sfdc-callout/", MATCH_SUB, B, CUA },	/* SFDC-Callout\/ */
	{ "shapbot", MATCH_SUB, B, CUA | MAT },	/* ShapBot */
	{ "shareaholic", MATCH_SUB, B, MAT },	/* Shareaholic(?:bot)? */
	{ "shodan-pull", MATCH_SUB, B, MAT },	/* (CheckerProxy|CMSLookup|CSE-Scanner|DomainProbe|FreePBX-S... */
	{ "shopalike", MATCH_SUB, B, MAT },	/* ShopAlike */
	{ "shopify-captain-hook", MATCH_SUB, B, CUA },	/* Shopify-Captain-Hook */
	{ "shopwiki", MATCH_SUB, B, MAT },	/* ShopWiki */
	{ "shortpixel", MATCH_SUB, B, CUA },	/* ShortPixel */
	{ "shortwave image fetcher", MATCH_SUB, B, CUA },	/* Shortwave Image Fetcher */
	{ "silk/", MATCH_PREFIX, B, CUA },	/* ^Silk\/ */
	{ "silktide", MATCH_SUB, B, CUA | ISB },	/* Silktide */
	{ "silverreader", MATCH_SUB, B, MAT },	/* SilverReader */
	{ "simbiat software", MATCH_SUB, B, MAT },	/* Simbiat Software */
	{ "simplepie", MATCH_SUB, B, CUA | MAT },	/* SimplePie */
	{ "sindresorhus/got", MATCH_SUB, B, CUA },	/* sindresorhus\/got */
	{ "sindup", MATCH_SUB, B, CUA | ISB },	/* Sindup */
	{ "sirdatabot", MATCH_SUB, B, CUA | MAT },	/* SirdataBot */
	{ "sitebot", MATCH_SUB, B, CUA },	/* sitebot */
	{ "sitebulb", MATCH_SUB, B, CUA | MAT },	/* sitebulb */
	{ "siteexplorer.info", MATCH_SUB, B, CUA },	/* siteexplorer\.info */
	{ "siteimprove", MATCH_SUB, B, CUA | MAT },	/* Siteimprove\.com */
	{ "sitelock", MATCH_SUB, B, CUA },	/* SiteLock */
	{ "sitescorebot", MATCH_SUB, B, CUA | MAT },	/* SiteScoreBot */
	{ "sitesearch360/", MATCH_SUB, B, CUA },	/* SiteSearch360\/ */
	{ "sitesoverpagesbot", MATCH_SUB, B, CUA },	/* SitesOverPagesBot */
	{ "sitesucker", MATCH_SUB, B, CUA | MAT },	/* SiteSucker */
	{ "sixy.ch", MATCH_SUB, B, MAT },	/* sixy\.ch */
	{ "sklikbot", MATCH_SUB, B, MAT },	/* SeznamBot|SklikBot|Seznam screenshot-generator */
	{ "skroutz imagebot", MATCH_SUB, B, CUA },	/* Skroutz ImageBot */
	{ "skroutzbot", MATCH_SUB, B, CUA },	/* SkroutzBot */
	{ "slaccalebot", MATCH_SUB, B, CUA },	/* SlaccaleBot */
	{ "sleepbot", MATCH_SUB, B, CUA | MAT },	/* SleepBot */
	{ "slurp", MATCH_SUB, B, CUA | MAT },	/* Slurp */
	{ "smarshbot", MATCH_SUB, B, CUA },	/* SmarshBot */
	{ "smtbot", MATCH_SUB, B, CUA | MAT },	/* smtbot */
	{ "smtnetpmbot", MATCH_SUB, B, CUA },	/* SMTnetPMBot */
	{ "snacktory", MATCH_SUB, B, CUA },	/* Snacktory */
	{ "snapchatads", MATCH_SUB, B, CUA | MAT },	/* SnapchatAds\/ */
	{ "snappy", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "snipcart/", MATCH_SUB, B, CUA },	/* Snipcart\/ */
	{ "socialpushbot", MATCH_SUB, B, MAT },	/* SocialPushBot */
	{ "software-security-research", MATCH_SUB, B, CUA },	/* Software-Security-Research */
	{ "sogou", MATCH_SUB, B, CUA | ISB | MAT },	/* Sogou */
	{ "solarwinds/", MATCH_SUB, B, CUA },	/* solarwinds\/ */
	{ "sonic", MATCH_SUB, B, CUA },	/* Sonic */
	{ "sora ", MATCH_PREFIX, B, ISB },	/* ^sora  */
	{ "sora pos/", MATCH_SUB, B, CUA },	/* Sora POS\/ */
	{ "sottopopnone", MATCH_SUB, B, CUA },	/* SottopopNone */
	{ "space bison", MATCH_PREFIX, B, ISB },	/* ^space bison */
	{ "spark commit", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "sparkler", MATCH_SUB, B, ISB | MAT },	/* sparkler/ */
	{ "sparkpost", MATCH_SUB, B, CUA },	/* SparkPost */
	{ "sparkshipping", MATCH_SUB, B, CUA },	/* SparkShipping */
	{ "spawning-ai", MATCH_SUB, B, CUA | MAT },	/* Spawning-AI */
	{ "spbot", MATCH_SUB, B, CUA | MAT },	/* spbot */
	{ "spectate/", MATCH_SUB, B, CUA },	/* Spectate\/ */
	{ "speedcurve", MATCH_SUB, B, ISB },	/* speedcurve */
	{ "speedy", MATCH_SUB, B, CUA | MAT },	/* speedy */
	{ "spider", MATCH_SUB, B, CUA | ISB | MAT },	/* 360Spider */
	{ "spinn3r", MATCH_SUB, B, MAT },	/* Spinn3r */
	{ "splash", MATCH_SUB, B, CUA | ISB },	/* splash Version\/ */
	{ "splitsignalbot", MATCH_SUB, B, MAT },	/* SplitSignalBot */
	{ "splunk", MATCH_SUB, B, CUA },	/* Splunk */
	{ "spotify/", MATCH_PREFIX, B, MAT },	/* ^Spotify/[\d.]+$ */
	{ "springservebot", MATCH_SUB, B, CUA },	/* SpringserveBot */
	{ "sprinklr", MATCH_SUB, B, MAT },	/* Sprinklr */
	{ "sputnikbot", MATCH_SUB, B, MAT },	/* SputnikBot */
	{ "sputnikfaviconbot", MATCH_SUB, B, MAT },	/* SputnikFaviconBot */
	{ "sputnikimagebot", MATCH_SUB, B, MAT },	/* SputnikImageBot */
	{ "sqalix", MATCH_SUB, B, MAT },	/* sqalix */
	{ "sqlmap", MATCH_SUB, B, CUA },	/* sqlmap */
	{ "sqwatcher", MATCH_SUB, B, CUA },	/* SQWatcher */
	{ "ssl labs", MATCH_SUB, B, CUA | MAT },	/* SSL Labs$ */
	{ "sslshed", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "stackscopebot", MATCH_SUB, B, MAT },	/* StackScopeBot */
	{ "stape/", MATCH_SUB, B, CUA | ISB },	/* Stape\/ */
	{ "startmebot", MATCH_SUB, B, MAT },	/* startmebot */
	{ "statista.com", MATCH_SUB, B, MAT },	/* statista\.com */
	{ "statistikaustria/", MATCH_SUB, B, CUA },	/* StatistikAustria\/ */
	{ "statonlinerubot", MATCH_SUB, B, MAT },	/* StatOnlineRuBot */
	{ "statsdronebot", MATCH_SUB, B, CUA },	/* StatsDroneBot */
	{ "statuscake", MATCH_SUB, B, CUA | ISB | MAT },	/* StatusCake */
	{ "storygizebot", MATCH_SUB, B, CUA },	/* StorygizeBot */
	{ "stractbot", MATCH_SUB, B, CUA | MAT },	/* StractBot */
	{ "stripe/", MATCH_SUB, B, CUA },	/* Stripe\/ */
	{ "studybot", MATCH_SUB, B, MAT },	/* (ABEvalBot|AdsTxtCrawlerTP|ArtelLeadRadar|DNSResearchBot|... */
	{ "sublinq", MATCH_SUB, B, MAT },	/* Sublinq */
	{ "substackcontentfetch", MATCH_SUB, B, MAT },	/* SubstackContentFetch */
	{ "sucuri", MATCH_SUB, B, CUA },	/* Sucuri */
	{ "suggestbot", MATCH_SUB, B, MAT },	/* SuggestBot */
	{ "summify", MATCH_SUB, B, CUA },	/* summify */
	{ "supercleaner", MATCH_SUB, B, ISB },	/* supercleaner */
	{ "support@domainreanimator.com", MATCH_SUB, B, MAT },	/* Domain Re-Animator Bot|support@domainreanimator\.com */
	{ "surdotlybot", MATCH_SUB, B, CUA | MAT },	/* SurdotlyBot */
	{ "survey-security-dot-txt", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "surveybot", MATCH_SUB, B, CUA | MAT },	/* SurveyBot */
	{ "sv-watchagent", MATCH_SUB, B, CUA },	/* sv-watchagent */
	{ "svix-webhooks/", MATCH_SUB, B, CUA },	/* Svix-Webhooks\/ */
	{ "svn", MATCH_PREFIX, B, ISB },	/* ^svn */
	{ "swcd ", MATCH_PREFIX, B, ISB },	/* ^swcd  */
	{ "swiftbot", MATCH_SUB, B, CUA | MAT },	/* Swiftbot */
	{ "swimgbot", MATCH_SUB, B, CUA },	/* SWIMGBot */
	{ "swisscows", MATCH_SUB, B, CUA | MAT },	/* Swisscows */
	{ "synapse", MATCH_SUB, B, CUA | ISB | MAT },	/* Synapse */
	{ "synthesibot", MATCH_SUB, B, CUA },	/* SynthesiBot */
	{ "synthetic", MATCH_SUB, B, CUA | ISB | MAT },	/* RuxitSynthetic */
	{ "sysomos", MATCH_SUB, B, CUA },	/* Sysomos */
	{ "t3versionsbot", MATCH_SUB, B, CUA | MAT },	/* t3versionsBot */
	{ "taboolabot", MATCH_SUB, B, CUA | MAT },	/* Taboolabot */
	{ "tactiscout", MATCH_SUB, B, CUA | MAT },	/* TactiScout\/ */
	{ "tangibleebot", MATCH_SUB, B, CUA },	/* TangibleeBot */
	{ "taragroup intelligent bot", MATCH_SUB, B, CUA },	/* TaraGroup Intelligent Bot */
	{ "taringa", MATCH_PREFIX, B, ISB },	/* ^taringa */
	{ "tarmotgezgin", MATCH_SUB, B, MAT },	/* TarmotGezgin */
	{ "tavilybot", MATCH_SUB, B, CUA },	/* TavilyBot */
	{ "tchelebi", MATCH_SUB, B, CUA | MAT },	/* tchelebi\/ */
	{ "teoma", MATCH_SUB, B, CUA | ISB | MAT },	/* Teoma */
	{ "termly", MATCH_SUB, B, CUA },	/* Termly */
	{ "terracotta", MATCH_SUB, B, CUA | MAT },	/* TerraCotta */
	{ "test certificate info", MATCH_SUB, B, CUA | MAT },	/* Test Certificate Info */
	{ "test-bot", MATCH_SUB, B, CUA },	/* test-bot */
	{ "testlocally", MATCH_SUB, B, CUA | ISB },	/* TestLocally\/ */
	{ "testuri", MATCH_SUB, B, CUA },	/* TestURI */
	{ "textrazor", MATCH_SUB, B, CUA },	/* TextRazor */
	{ "the knowledge ai", MATCH_SUB, B, CUA | MAT },	/* The Knowledge AI */
	{ "theinternetsearchx", MATCH_SUB, B, CUA | MAT },	/* TheInternetSearchx */
	{ "theoldreader.com", MATCH_SUB, B, CUA | MAT },	/* theoldreader\.com */
	{ "thesafeinternetsearch", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "thesafeinternetxsearch", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "thesafexinternetsearch", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "thesafexinternetxsearch", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "thesis-research-bot", MATCH_SUB, B, CUA },	/* thesis-research-bot */
	{ "thinkbot", MATCH_SUB, B, CUA | MAT },	/* Thinkbot */
	{ "thinkchaos", MATCH_SUB, B, MAT },	/* (ABEvalBot|AdsTxtCrawlerTP|ArtelLeadRadar|DNSResearchBot|... */
	{ "thinklab", MATCH_SUB, B, CUA },	/* Thinklab */
	{ "thousandeyes", MATCH_SUB, B, CUA | MAT },	/* ThousandEyes */
	{ "thumbor/", MATCH_PREFIX, B, ISB },	/* ^thumbor/ */
	{ "tiberius", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "tigerbot", MATCH_SUB, B, CUA | MAT },	/* tigerbot */
	{ "time/", MATCH_SUB, B, CUA | ISB | MAT },	/* Uptime\/ */
	{ "timpibot", MATCH_SUB, B, CUA | MAT },	/* Timpibot */
	{ "tineye", MATCH_SUB, B, CUA | MAT },	/* TinEye */
	{ "tiny tiny rss", MATCH_SUB, B, CUA | MAT },	/* Tiny Tiny RSS */
	{ "tls tester", MATCH_SUB, B, CUA },	/* TLS tester */
	{ "tlsprobe", MATCH_SUB, B, MAT },	/* TLSProbe */
	{ "together-bot", MATCH_SUB, B, MAT },	/* Together-Bot */
	{ "tomnomnom/meg", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "tools", MATCH_SUB, B, CUA | ISB | MAT },	/* HetrixTools */
	{ "toplistbot", MATCH_SUB, B, CUA },	/* toplistbot */
	{ "torrent", MATCH_SUB, B, ISB | MAT },	/* torrent */
	{ "traackr.com", MATCH_SUB, B, CUA },	/* Traackr\.com */
	{ "tracemyfile", MATCH_SUB, B, CUA | MAT },	/* tracemyfile */
	{ "track", MATCH_PREFIX, B, ISB },	/* ^track */
	{ "trackable/0.1", MATCH_SUB, B, MAT },	/* Trackable/0\.1 */
	{ "trae/", MATCH_SUB, B, CUA },	/* Trae\/ */
	{ "trafilatura", MATCH_SUB, B, CUA },	/* trafilatura */
	{ "transcoder", MATCH_SUB, B, ISB | MAT },	/* transcoder */
	{ "trellis-services", MATCH_SUB, B, CUA },	/* Trellis-Services */
	{ "trendictionbot", MATCH_SUB, B, CUA | MAT },	/* trendictionbot */
	{ "trendsmapresolver", MATCH_SUB, B, CUA | MAT },	/* TrendsmapResolver */
	{ "trentwil.es", MATCH_SUB, B, CUA },	/* trentwil\.es */
	{ "trove", MATCH_SUB, B, CUA },	/* Trove */
	{ "trovitbot", MATCH_SUB, B, CUA },	/* trovitBot */
	{ "trustbot", MATCH_SUB, B, MAT },	/* TrustBot */
	{ "trustly/", MATCH_SUB, B, CUA },	/* Trustly\/ */
	{ "tsm-turingos", MATCH_SUB, B, CUA },	/* TSM-turingos */
	{ "tsmbot", MATCH_SUB, B, CUA },	/* TSMbot */
	{ "ttd-content", MATCH_SUB, B, CUA | MAT },	/* TTD-Content */
	{ "turnitin", MATCH_SUB, B, CUA | MAT },	/* Turnitin */
	{ "tweakers", MATCH_SUB, B, CUA },	/* Tweakers */
	{ "tweetedtimes", MATCH_SUB, B, CUA | MAT },	/* tweetedtimes */
	{ "tweetmemebot", MATCH_SUB, B, CUA | MAT },	/* TweetmemeBot */
	{ "twengabot", MATCH_SUB, B, CUA },	/* twengabot */
	{ "twinagent", MATCH_SUB, B, CUA },	/* TwinAgent */
	{ "twingly", MATCH_SUB, B, CUA | MAT },	/* Twingly */
	{ "udv-ai-research", MATCH_SUB, B, MAT },	/* UdV-AI-Research */
	{ "ugaresearchagent", MATCH_SUB, B, CUA | MAT },	/* UGAResearchAgent */
	{ "uipbot", MATCH_SUB, B, CUA },	/* uipbot */
	{ "um-ans", MATCH_SUB, B, MAT },	/* um-(?:ANS|CC|FC|IC|LN) */
	{ "um-cc", MATCH_SUB, B, MAT },	/* um-(?:ANS|CC|FC|IC|LN) */
	{ "um-fc", MATCH_SUB, B, CUA | MAT },	/* um-FC */
	{ "um-ic", MATCH_SUB, B, CUA | MAT },	/* um-IC */
	{ "um-ln", MATCH_SUB, B, CUA | MAT },	/* um-LN */
	{ "unshorten.it!", MATCH_SUB, B, CUA },	/* Unshorten\.It\! */
	{ "upday/", MATCH_SUB, B, CUA },	/* upday\/ */
	{ "updown.io", MATCH_SUB, B, CUA },	/* updown\.io */
	{ "upflow", MATCH_SUB, B, CUA },	/* Upflow */
	{ "uptime", MATCH_WORD, B, CUA | MAT },	/* Uptime-Kuma */
	{ "uptimedoctor", MATCH_SUB, B, CUA },	/* uptimedoctor */
	{ "uptimestatistics", MATCH_SUB, B, CUA },	/* UptimeStatistics */
	{ "uptimia", MATCH_SUB, B, CUA | MAT },	/* Uptimia */
	{ "uptrends", MATCH_SUB, B, CUA },	/* uptrends */
	{ "url", MATCH_SUB, B, CUA | ISB | MAT },	/* ^curl */
	{ "ut-dorkbot", MATCH_SUB, B, CUA },	/* UT-Dorkbot */
	{ "vagabondo", MATCH_SUB, B, CUA | MAT },	/* Vagabondo\/ */
	{ "validator", MATCH_SUB, B, CUA | ISB | MAT },	/* Validator\.nu */
	{ "validbot", MATCH_SUB, B, MAT },	/* Validbot */
	{ "valimail", MATCH_SUB, B, MAT },	/* Valimail */
	{ "valve/steam", MATCH_SUB, B, CUA },	/* Valve\/Steam */
	{ "vaultpress", MATCH_SUB, B, CUA },	/* VaultPress */
	{ "veoozbot", MATCH_SUB, B, CUA },	/* Veoozbot */
	{ "vercel-screenshot", MATCH_SUB, B, CUA },	/* vercel-screenshot */
	{ "vercelbot", MATCH_SUB, B, CUA | MAT },	/* Vercelbot */
	{ "verifybot", MATCH_SUB, B, MAT },	/* ia_archiver|alexabot|verifybot */
	{ "verity", MATCH_PREFIX, B, MAT },	/* ^Verity */
	{ "verity/", MATCH_SUB, B, CUA },	/* Verity\/ */
	{ "vertexwp", MATCH_SUB, B, MAT },	/* VertexWP */
	{ "veryhip", MATCH_SUB, B, MAT },	/* veryhip */
	{ "videootv bot", MATCH_SUB, B, CUA },	/* videootv Bot */
	{ "videootvbot", MATCH_SUB, B, CUA },	/* videootvBot */
	{ "vigil/", MATCH_SUB, B, CUA },	/* Vigil\/ */
	{ "virtuoso", MATCH_SUB, B, ISB },	/* virtuoso */
	{ "virustotal", MATCH_SUB, B, CUA | MAT },	/* virustotal */
	{ "visionheight.com", MATCH_SUB, B, MAT },	/* visionheight\.com */
	{ "voilabot", MATCH_SUB, B, CUA | MAT },	/* voilabot */
	{ "voluumdsp-content-bot", MATCH_SUB, B, CUA },	/* VoluumDSP-content-bot */
	{ "vortex/", MATCH_SUB, B, MAT },	/* VORTEX/ */
	{ "vuhuvbot", MATCH_SUB, B, CUA | MAT },	/* vuhuvBot */
	{ "vuhuvrbt", MATCH_SUB, B, MAT },	/* vuhuv(?:Bot|RBT) */
	{ "w3c", MATCH_PREFIX, B, ISB },	/* ^w3c */
	{ "w3c-checklink", MATCH_SUB, B, CUA | MAT },	/* W3C-checklink */
	{ "w3c-mobileok", MATCH_SUB, B, CUA | MAT },	/* W3C-mobileOK */
	{ "w3c_unicorn", MATCH_SUB, B, CUA | MAT },	/* W3C_Unicorn */
	{ "wappalyzer", MATCH_SUB, B, ISB | MAT },	/* wappalyzer */
	{ "wardbot", MATCH_SUB, B, MAT },	/* WARDBot */
	{ "watchforbot", MATCH_SUB, B, CUA },	/* WatchForBot */
	{ "watchful", MATCH_SUB, B, CUA },	/* Watchful */
	{ "watchmouse", MATCH_SUB, B, CUA },	/* WatchMouse */
	{ "watchtowr", MATCH_SUB, B, CUA | ISB },	/* watchTowr */
	{ "wayback", MATCH_SUB, B, CUA },	/* Wayback */
	{ "wbsearchbot", MATCH_SUB, B, CUA },	/* wbsearchbot */
	{ "web screen service by hyperhost", MATCH_SUB, B, CUA },	/* Web Screen Service By hyperhost */
	{ "webatlabot", MATCH_SUB, B, MAT },	/* WebatlaBot */
	{ "webbandit/", MATCH_PREFIX, B, ISB },	/* ^webbandit/ */
	{ "webceo online/", MATCH_SUB, B, CUA },	/* WebCEO Online\/ */
	{ "webcopier", MATCH_SUB, B, CUA | ISB },	/* WebCopier */
	{ "webdatastats", MATCH_SUB, B, CUA | MAT },	/* WebDataStats */
	{ "webflow", MATCH_SUB, B, CUA },	/* Webflow */
	{ "webgains-bot", MATCH_SUB, B, CUA },	/* webgains-bot */
	{ "webglance", MATCH_SUB, B, ISB },	/* webglance */
	{ "webkit2png", MATCH_SUB, B, ISB },	/* webkit2png */
	{ "webmon ", MATCH_SUB, B, CUA },	/* webmon  */
	{ "webmon/", MATCH_SUB, B, MAT },	/* WebMon/ */
	{ "weborama-fetcher", MATCH_SUB, B, CUA | MAT },	/* weborama-fetcher */
	{ "webprosbot", MATCH_SUB, B, MAT },	/* webprosbot */
	{ "website-info.net", MATCH_SUB, B, MAT },	/* Website-info\.net */
	{ "websiteops", MATCH_SUB, B, CUA },	/* WebsiteOps */
	{ "websitepulse", MATCH_SUB, B, CUA },	/* websitepulse */
	{ "websniffer/", MATCH_SUB, B, CUA },	/* WebSniffer\/ */
	{ "webthumbnail", MATCH_SUB, B, MAT },	/* WebThumbnail */
	{ "webwikibot", MATCH_SUB, B, MAT },	/* WebwikiBot */
	{ "webzio", MATCH_SUB, B, CUA | MAT },	/* webzio */
	{ "webzip", MATCH_SUB, B, CUA },	/* WebZIP */
	{ "wedos online", MATCH_SUB, B, CUA },	/* WEDOS OnLine */
	{ "wellknownbot", MATCH_SUB, B, CUA | MAT },	/* WellKnownBot */
	{ "wepchsearchengine", MATCH_SUB, B, CUA },	/* WepchSearchEngine */
	{ "wesee", MATCH_SUB, B, CUA | MAT },	/* WeSEE:Search */
	{ "wevikabot", MATCH_SUB, B, MAT },	/* WeViKaBot */
	{ "wget", MATCH_SUB, B, CUA | ISB },	/* [wW]get */
	{ "whatcms", MATCH_SUB, B, ISB | MAT },	/* whatcms/ */
	{ "whatsmyip.org", MATCH_SUB, B, CUA | MAT },	/* WhatsMyIP\.org */
	{ "whatweb/", MATCH_SUB, B, CUA },	/* WhatWeb\/ */
	{ "wheregoes.com", MATCH_SUB, B, CUA },	/* Wheregoes\.com */
	{ "who.is", MATCH_SUB, B, MAT },	/* Who\.is */
	{ "wibybot", MATCH_SUB, B, MAT },	/* Wibybot */
	{ "wikido", MATCH_SUB, B, CUA | MAT },	/* WikiDo */
	{ "wirereaderbot", MATCH_SUB, B, MAT },	/* WireReaderBot */
	{ "wisebot", MATCH_SUB, B, CUA },	/* WISEbot */
	{ "wjhro/", MATCH_SUB, B, CUA },	/* WJHRO\/ */
	{ "wknd-bot", MATCH_SUB, B, CUA },	/* wknd-bot */
	{ "wocbot", MATCH_SUB, B, CUA },	/* wocbot */
	{ "woorankreview", MATCH_SUB, B, CUA | MAT },	/* woorankreview\/ */
	{ "wordpress", MATCH_SUB, B, CUA | ISB | MAT },	/* WordPress\/ */
	{ "wordup", MATCH_SUB, B, CUA | MAT },	/* Wordup-1 */
	{ "workona", MATCH_SUB, B, CUA | MAT },	/* workona-favicon-service\/ */
	{ "worldbot", MATCH_SUB, B, CUA | MAT },	/* WorldBot */
	{ "wormlybot", MATCH_SUB, B, CUA },	/* WormlyBot */
	{ "wotbox", MATCH_SUB, B, CUA | MAT },	/* wotbox */
	{ "wp time capsule", MATCH_SUB, B, CUA },	/* WP Time Capsule */
	{ "wp_is_mobile", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "wpmu dev", MATCH_SUB, B, CUA | MAT },	/* WPMU DEV Hub */
	{ "wpsec/", MATCH_SUB, B, CUA },	/* WPSec\/ */
	{ "wpumbrella", MATCH_SUB, B, CUA },	/* WPUmbrella */
	{ "wrtnbot", MATCH_SUB, B, CUA },	/* WRTNBot */
	{ "wsm/", MATCH_SUB, B, CUA },	/* WSM\/ */
	{ "wtotem", MATCH_SUB, B, CUA },	/* WTotem */
	{ "xai-bot", MATCH_SUB, B, MAT },	/* xAI-Bot */
	{ "xenforo", MATCH_SUB, B, MAT },	/* XenForo */
	{ "xenu", MATCH_PREFIX, B, ISB | MAT },	/* ^xenu link sleuth */
	{ "xenu link sleuth", MATCH_SUB, B, CUA },	/* Xenu Link Sleuth */
	{ "xfa1", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "xing bot", MATCH_SUB, B, CUA },	/* Xing Bot */
	{ "xml sitemaps generator", MATCH_SUB, B, CUA },	/* XML Sitemaps Generator */
	{ "xovibot", MATCH_SUB, B, CUA | MAT },	/* xovibot */
	{ "xtate/", MATCH_SUB, B, ISB | MAT },	/* xtate/ */
	{ "xx032_bo9vs83_2a", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "y!j", MATCH_SUB, B, CUA | MAT },	/* Y!J */
	{ "yacybot", MATCH_SUB, B, CUA | MAT },	/* yacybot */
	{ "yadirectfetcher", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yahoo", MATCH_PREFIX, B, ISB },	/* ^yahoo */
	{ "yahoo ad monitoring", MATCH_SUB, B, CUA | MAT },	/* Yahoo Ad monitoring */
	{ "yahoo:linkexpander:slingstone", MATCH_SUB, B, MAT },	/* Yahoo Link Preview|Yahoo:LinkExpander:Slingstone */
	{ "yahoocachesystem", MATCH_SUB, B, CUA | MAT },	/* YahooCacheSystem */
	{ "yak/", MATCH_SUB, B, CUA | MAT },	/* YaK\/ */
	{ "yandex", MATCH_PREFIX, B, ISB },	/* ^yandex */
	{ "yandex.gazeta bot", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexaccessibilitybot", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexadditional", MATCH_SUB, B, MAT },	/* YandexAdditional */
	{ "yandexadnet", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexantivirus", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexblogs", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexbot", MATCH_SUB, B, MAT },	/* YandexBot.+MirrorDetector */
	{ "yandexcalendar", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexcatalog", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexcombot", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexdialogs", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexdirect", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexfavicons", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexfordomain", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandeximageresizer", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandeximages", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexmarket", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexmedia", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexmetrika", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexmobilebot", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexmobilescreenshotbot", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexnews", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexontodb", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexpartner", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexrca", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexrenderresourcesbot", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexscreenshotbot", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexsearchshop", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexsitelinks", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexspravbot", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandextracker", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexturbo", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexverticals", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexvertis", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexvideo", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandexwebmaster", MATCH_SUB, B, MAT },	/* (Yandex(?:(?:\.Gazeta |Accessibility|Com|Mobile|MobileScr... */
	{ "yandorirssbot", MATCH_SUB, B, CUA },	/* YandoriRSSBot */
	{ "yanga", MATCH_SUB, B, CUA },	/* yanga */
	{ "yellowbrandprotectionbot", MATCH_SUB, B, CUA },	/* Yellowbrandprotectionbot */
	{ "yioopbot", MATCH_SUB, B, MAT },	/* YioopBot */
	{ "ylt chrome", MATCH_SUB, B, CUA },	/* YLT Chrome */
	{ "yokoygroupag/", MATCH_SUB, B, CUA },	/* YokoyGroupAG\/ */
	{ "yoozbot", MATCH_SUB, B, CUA | MAT },	/* yoozBot */
	{ "yottaamonitor", MATCH_SUB, B, MAT },	/* YottaaMonitor */
	{ "youruseragenthere", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "yuuperbot", MATCH_SUB, B, CUA },	/* Yuuperbot */
	{ "zabbix", MATCH_SUB, B, CUA },	/* Zabbix */
	{ "zaldamosearchbot", MATCH_SUB, B, MAT },	/* ZaldamoSearchBot */
	{ "zanistabot", MATCH_SUB, B, CUA | MAT },	/* ZanistaBot */
	{ "zao/", MATCH_SUB, B, MAT },	/* Zao/ */
	{ "zapier", MATCH_SUB, B, CUA },	/* Zapier */
	{ "zdm/", MATCH_PREFIX, B, ISB },	/* ^zdm/\d */
	{ "zealbot", MATCH_SUB, B, CUA },	/* Zealbot */
	{ "zebra-v2-bot", MATCH_SUB, B, CUA },	/* zebra-v2-bot */
	{ "zenback bot", MATCH_SUB, B, CUA },	/* zenback bot */
	{ "zendesk webhook", MATCH_SUB, B, CUA },	/* Zendesk Webhook */
	{ "zeno", MATCH_EXACT, B, MAT },	/* ^Zeno$ */
	{ "zeus", MATCH_EXACT, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "zmeu", MATCH_SUB, B, CUA | MAT },	/* ZmEu */
	{ "zookabot", MATCH_SUB, B, MAT },	/* Zookabot */
	{ "zoom marketplace/", MATCH_PREFIX, B, ISB },	/* ^zoom marketplace/ */
	{ "zoombot", MATCH_SUB, B, CUA | MAT },	/* ZoomBot */
	{ "zoominfo-", MATCH_SUB, B, CUA },	/* ZoomInfo- */
	{ "zooshot", MATCH_SUB, B, MAT },	/* nuhk|grub-client|Download Demon|SearchExpress|Microsoft U... */
	{ "zumbot", MATCH_SUB, B, CUA | MAT },	/* ZumBot */
	{ "zzhbot", MATCH_SUB, B, CUA },	/* zzhbot */

/*
 * Dropped: no exact translation, and none by hand.
 *   CUA Spider[\s\S]*spider\.com (character class)
 *   ISB (?:^|[^g])news(?!sapphire) (character class)
 *   ISB (?<! channel/|google/)google(?!(?:wv|app|/google| pixel)) (lookaround)
 *   ISB \bperl\b (text after $ or \b)
 *   ISB java(?!;) (lookaround)
 *   MAT (?<!HTC)[ _]Butterfly/ (lookaround)
 *   MAT Daum(?!(?:Apps|Device)) (lookaround)
 *   MAT Google.*\/\+/web/snippet (in Adwords-(?:DisplayAds|Expres... ('.')
 *   MAT Pinterest(?:bot)?/.*www\.pinterest\.com ('.')
 *   MAT ^Lkx-.*\/ (in l9scan/|^Lkx-.*\/...) ('.')
 *   MAT admantx\.com.*service-fetcher (in ias-(?:va|sg).*admantx.... ('.')
 *   MAT ias-(?:va|sg).*admantx.*service-fetcher (in ias-(?:va|sg)... ('.')
 *   MAT zeal(?!ot) (in nuhk|grub-client|Download Demon|SearchEx...) (lookaround)
 */
