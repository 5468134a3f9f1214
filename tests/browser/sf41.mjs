// tests/browser/sf41.mjs: the answers the browser test types into the
// SF 41 "Cluster Management" card, keyed by input name. Taken from the
// seed card (shared/seeds/keyfield-card-SF41-cluster-management.txt),
// markdown bold removed; where the seed is empty (section 1, the
// Singapore example, negative impact, the relevance radios) the text is
// ours and marked so. Values are what a person types: the test compares
// what the page shows with them exactly.

export const ratings = { Fr: '7', B: '8', C: '6', NY: '6', S: '1', T: '8' };
export const ratingTotal = 36;

export const answers = {
	'rating.rating.Fr': ratings.Fr,
	'rating.rating.B': ratings.B,
	'rating.rating.C': ratings.C,
	'rating.rating.NY': ratings.NY,
	'rating.rating.S': ratings.S,
	'rating.rating.T': ratings.T,

	'examples.example.Fr': 'Freiburg Green City Cluster – ' +
	    'Connects/Networks Companies in the category of renewable ' +
	    'energy, environmental technologies, etc.',
	'examples.example.B': 'Within sub-sectors, the crosslinking is ' +
	    'mainly with research institutions driven by the city - examples ' +
	    'of this are the Signum network (security) or the various Open ' +
	    'Data cloud and Berlin Capital Initiatives (ICT)',
	'examples.example.C': 'detected no difference between key field 73',
	'examples.example.NY': 'Unfortunately quite uncertain, in general, ' +
	    'people trust the market economy, but it may be that there are ' +
	    'support programs for SMEs (but I would rather think that no)',
	// Ours: the seed has no Singapore example.
	'examples.example.S': 'No cluster programme for small businesses ' +
	    'found in the sources checked by Åsa O\'Connor-Nguyễn (2024);\n' +
	    'hence the rating of 1.',
	'examples.example.T': 'Ota-Ku is a prefecture of Tokyo, which is ' +
	    'strongly influenced by the high concentration of SMEs. The city ' +
	    'provides various facilities to support the network of SMEs. ' +
	    'Factory apartments are available to house SMEs and up to 40 ' +
	    'different micro-enterprises. In addition, networks between R + ' +
	    'D center, start up support center, and the city of SMEs are ' +
	    'promoted.',

	// Ours: section 1 is empty in the seed, but required on submit.
	// Markup-like text, quotes, non-ASCII and an astral-plane character.
	'description': 'Cluster management supports specialised and small ' +
	    'businesses through networking, promotion & marketing, ' +
	    'communication and market access.\n' +
	    'Unlike key field 73 it is about "organised" networks, e.g. the ' +
	    'cluster agencies of Zürich or Malmö, not <b>single</b> firms 🌱.',

	'economic': 'Cluster management one of the most effective ways to ' +
	    'organize and network industries and relevant actors in a way ' +
	    'that allows them to take empowered action to support their ' +
	    'regional economic competitiveness. Clustering facilitates the ' +
	    'development of effective PPPs and the integration of private ' +
	    'sector with R&D, educational & training institutions. ' +
	    'Clustering enables industries to take collective, collaborative ' +
	    'action which can overcome economies of scale or other market ' +
	    'failures - such as investment in regional training programs, ' +
	    'the implementation sustainable and ,smart\' infrastructure, and ' +
	    'the development eco-industrial parks. The cluster process can ' +
	    'also link and accelerate emerging regional industries focusing ' +
	    'on sustainable products and solutions. Solutions developed and ' +
	    'championed by cluster leaders could include businesses ' +
	    'incubators, group R&D, investment attraction strategies, market ' +
	    'access strategies, lobbying for supportive policy environment, ' +
	    'development of regional incentive structures, development of\n\n' +
	    'green tech investment funds, etc.',
	'social': 'Success of regional development is directly related to ' +
	    'the diversity and strength of both local networks and external ' +
	    'networks. The cluster development process increases both types ' +
	    'of networks and can facilitate the development of lasting ' +
	    'bridging and bonding social capital.',
	'ecological': 'Using the cluster as a basis for implementing ' +
	    'industry-wide transformations in terms of sustainability has ' +
	    'the potential to create faster, deeper, and longer lasting ' +
	    'change than a business by business approach. Synergies between ' +
	    'industry actors can be capitalized on new norms and industry ' +
	    'standards established. Ecological effects include energy ' +
	    'savings, water savings, reduction of waste, pollution, CO2 ' +
	    'emissions, and even regenerative or remediation strategies.',
	'resilience': 'Strong cluster networks are linked to city resilience ' +
	    '– ability to share information, respond proactively to market, ' +
	    'physical, regulatory, and technological risks to a specific ' +
	    'industry. Clustering can also take place to promote local ' +
	    'learning systems (hive learning) and to promote local and b2b ' +
	    'businesses clusters that are a part of the deeper "fabric of ' +
	    'resilience" of city systems.',

	// Ours: the seed lists the sectors but lost the ticks; it describes
	// "the high level of importance" for each.
	'sectors.relevance.mobility': 'high',
	'sectors.importance.mobility': 'Clusters can promote alternative ' +
	    'mobility for employees, can transform P&L practices based on ' +
	    'mega trends towards sustainability mobility, can re-focus ' +
	    'product development on future mobility markets, can help access ' +
	    'those markets',
	'sectors.relevance.energy': 'high',
	'sectors.importance.energy': 'Clusters can implement industry wide ' +
	    'incentives to reduce energy use, provide clean energy, and ' +
	    'produce and share energy',
	'sectors.relevance.production_logistics': 'high',
	'sectors.importance.production_logistics': 'Clusters have an ' +
	    'advantage in taking advantage of "shared economy" solutions for ' +
	    'P&L',
	'sectors.relevance.security': 'medium',
	'sectors.importance.security': 'Clusters can help to self regulate ' +
	    'Environmental & Safety standards',
	'sectors.relevance.ict': 'high',
	'sectors.importance.ict': 'cluster can be both consumers and ' +
	    'producers of new ICT solutions',
	'sectors.relevance.water': 'medium',
	'sectors.importance.water': 'In some areas water infrastructure is ' +
	    'highly important to spcific clusters, thus they can promote ' +
	    'policies and public projects and can be both producers and ' +
	    'consumers of specific solutions',
	'sectors.relevance.buildings': 'high',
	'sectors.importance.buildings': 'Clusters can incentivize new ' +
	    'building technologies and even reducing sq footage of built ' +
	    'space necessary through shared economy solutions facilitated by ' +
	    '"smart" infrastructure',
	'sectors.relevance.governance': 'high',
	'sectors.importance.governance': 'Clusters can play a role in ' +
	    'shaping regional governance through lobbying for industry wide ' +
	    'standards and through lobbying for talent attraction via ' +
	    'livable cities, good schools, etc.',

	'positive_impact': 'Enable Market Access (channeling orders to a ' +
	    'specific business, work/customer acquisition support)-> ' +
	    'Promoting communication between SMEs also: networking for ' +
	    'business logistics.',
	// Ours (the seed has none). It starts with an empty line on purpose:
	// a textarea's first newline is eaten by the HTML parser unless the
	// page adds one.
	'negative_impact': '\n' +
	    'Firms outside the cluster network may lose orders to members;\n' +
	    '  public money can end up supporting incumbents.',
	'measures': 'A regional cluster advisory board should be initiated ' +
	    'with decision makers and thought leaders related to specified ' +
	    'industry. Relatively autonomous funding should be secured for ' +
	    'the implementation of cluster projects. High level of ' +
	    'regionalization and regionalized decision making is preferable ' +
	    'to a federally centralized system.',
	'actors': 'Cluster process should be engaged with varied ' +
	    'stakeholders across industry sector and strongly supported by ' +
	    'decision makers at a regional government level.\n\n' +
	    'Mayors office, economic development department, long term ' +
	    'planning department, chamber of commerce, university department ' +
	    'heads and lab heads, relevant PPP industry organizations.',
	'prerequisites': 'no prerequistes necessary',
	'obstacles': 'Obstacles to successful clustering include too much ' +
	    'top down management (prescriptive rather than organic ' +
	    'solutions) or not enough top down support, lack of funding for ' +
	    'cluster initiatives, distrust of government due to corruption, ' +
	    'lack of matching skills and talents necessary for industry ' +
	    'growth. Poor communication of importance and value proposition ' +
	    'to key stakeholders.',
	'indicators': 'number of cluster groups\n' +
	    'number of participating businesses\n' +
	    'number of completed cluster initiatives\n' +
	    'existence of cluster funding mechanisms',
	'remarks': 'Note: Clusters come in three forms: local, business, and ' +
	    'traded clusters.\n\n' +
	    '- Local clusters exclusively serve local markets (e.g., ' +
	    'retail). There is very little trade across regions or across ' +
	    'clusters in these forms.\n' +
	    '- Traded clusters, in contrast, trade across regions and ' +
	    'countries. They might be biotech clusters or auto clusters, for ' +
	    'example. Traded clusters often offer much higher average wages, ' +
	    'innovation is greater, and there is much higher trade.\n' +
	    '- Business-to-business clusters are like local clusters but ' +
	    'serve businesses. They include local commercial services, real ' +
	    'estate, utilities, and the like. If an area is weak in these ' +
	    'b-to-b clusters, the environment is eroded for traded ' +
	    'clusters.\n\n' +
	    '(source: Initiative for Competitive Inner City: ' +
	    'http://brr.ber-keley.edu/2011/10/cluster-development-as-an-econo' +
	    'mic-driver-for-inner-cities/)',
};
